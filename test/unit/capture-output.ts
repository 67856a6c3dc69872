import { vi } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: log lines are JSON of any shape.
export type JsonLine = Record<string, any>;

/** What a block of code wrote to stdout and stderr: the raw text, and each JSON line parsed. */
export interface CapturedOutput {
  readonly text: string;
  readonly lines: JsonLine[];
}

/**
 * Runs `block` with stdout and stderr captured (and kept off the test report): Powertools writes
 * logs and metrics to them through its own console, so spying on `console` would miss them.
 */
export async function captureOutput(block: () => unknown): Promise<CapturedOutput> {
  const chunks: string[] = [];
  const keep = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(keep)];
  spies.push(vi.spyOn(process.stderr, 'write').mockImplementation(keep));
  try {
    await block();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  const text = chunks.join('');
  const lines = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonLine);
  return { text, lines };
}
