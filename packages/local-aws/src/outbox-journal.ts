import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type OutboxChannel, type OutboxItem, outboxChannels } from './outbox-item';

/**
 * Every message the local providers accepted, all channels together, oldest first. With a file,
 * each one is appended to it (one JSON object a line) before the provider answers, and the file is
 * read back at start: so the outbox still lists a message whose sender saw it accepted, across a
 * `kill -9` and a restart, as a real provider would still have it.
 */
export class OutboxJournal {
  private readonly accepted: OutboxItem[];

  /** @param file - the JSONL file; omitted, messages are kept in memory only. */
  constructor(private readonly file?: string) {
    this.accepted = file === undefined ? [] : openJournal(file);
  }

  append(item: OutboxItem): void {
    // Synchronous: the line is in the file before the caller learns the message was accepted.
    if (this.file !== undefined) appendFileSync(this.file, `${JSON.stringify(item)}\n`);
    this.accepted.push(item);
  }

  /** The accepted messages of these channels (all by default), oldest first. */
  items(channels: readonly OutboxChannel[] = outboxChannels): OutboxItem[] {
    return this.accepted.filter((item) => channels.includes(item.channel));
  }
}

/**
 * Reads the journal, creating it if need be. A line that does not parse can only be the last one,
 * cut short by a machine crash mid-write: it is skipped, and a newline is added so that the next
 * record starts a line of its own.
 */
function openJournal(file: string): OutboxItem[] {
  mkdirSync(dirname(file), { recursive: true });
  if (!existsSync(file)) {
    appendFileSync(file, '');
    return [];
  }
  const text = readFileSync(file, 'utf8');
  if (text !== '' && !text.endsWith('\n')) appendFileSync(file, '\n');
  return text.split('\n').flatMap((line) => {
    const item = parseItem(line);
    return item === undefined ? [] : [item];
  });
}

function parseItem(line: string): OutboxItem | undefined {
  if (line.trim() === '') return undefined;
  try {
    const item = JSON.parse(line) as Partial<OutboxItem> | null;
    if (!item || !outboxChannels.includes(item.channel as OutboxChannel)) return undefined;
    return {
      channel: item.channel as OutboxChannel,
      to: String(item.to ?? ''),
      from: item.from ?? null,
      reply_to: item.reply_to ?? null,
      subject: item.subject ?? null,
      body: String(item.body ?? ''),
      at: String(item.at ?? ''),
      message_id: String(item.message_id ?? ''),
      invite_id: item.invite_id ?? null,
    };
  } catch {
    return undefined;
  }
}
