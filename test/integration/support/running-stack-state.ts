import { SQSClient } from '@aws-sdk/client-sqs';
import { localCredentials, messagesIn, type QueueCounts, queueCounts } from '@parent-management/local-aws';
import type { LocalConfig } from '../../../infra/local/local-routes';
import { readTableSnapshot } from '../../chaos/table-snapshot';

/** What `GET /_local/config` of a running `npm start` says. */
export async function localConfigOf(apiUrl: string): Promise<LocalConfig> {
  const response = await fetch(`${apiUrl}/_local/config`);
  if (!response.ok) throw new Error(`GET ${apiUrl}/_local/config answered ${response.status}`);
  return (await response.json()) as LocalConfig;
}

/** Every queue's and dead-letter queue's counts, by queue name, read from the SQS endpoint. */
export async function allQueueCounts(config: LocalConfig): Promise<Record<string, QueueCounts>> {
  const client = new SQSClient({
    endpoint: config.sqs.endpoint,
    region: config.region,
    credentials: localCredentials,
  });
  const urls = { ...config.sqs.queues, ...prefixed(config.sqs.dead_letter_queues) };
  try {
    const entries = await Promise.all(
      Object.entries(urls).map(async ([name, url]) => [name, await queueCounts(client, url)] as const),
    );
    return Object.fromEntries(entries);
  } finally {
    client.destroy();
  }
}

/** Dead-letter queues are listed by their wiring queue's name; they are named `<name>-dlq`. */
function prefixed(deadLetterQueues: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(deadLetterQueues).map(([name, url]) => [`${name}-dlq`, url]));
}

/**
 * Waits until no queue holds a message (dead-letter queues aside: what lands there stays, and is
 * reported by the caller): the checker needs a quiet stack, and a redelivery of a message that was
 * in flight at a crash may still be due after the job has completed.
 *
 * @returns the last counts read, quiet or not.
 */
export async function waitForEmptyQueues(
  config: LocalConfig,
  timeoutMs: number,
): Promise<Record<string, QueueCounts>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await allQueueCounts(config);
    const busy = Object.keys(config.sqs.queues).some((name) => messagesIn(counts[name] ?? noMessages) > 0);
    if (!busy || Date.now() > deadline) return counts;
    await new Promise((wake) => setTimeout(wake, 1_000));
  }
}

const noMessages: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };

/**
 * What explains a job that does not complete: its attempts per status (read from the table) and
 * every queue's counts, as one printable text.
 */
export async function pipelineDiagnosis(config: LocalConfig, jobId: string): Promise<string> {
  const snapshot = await readTableSnapshot({
    region: config.region,
    dynamodb: { endpoint: config.dynamodb.endpoint, tableName: config.dynamodb.table_name },
  });
  const job = snapshot.jobs.find((each) => each.jobId === jobId);
  const attempts = snapshot.attempts.filter((attempt) => attempt.jobId === jobId);
  const byStatus: Record<string, number> = {};
  for (const attempt of attempts) byStatus[attempt.status] = (byStatus[attempt.status] ?? 0) + 1;
  const stuck = attempts
    .filter((attempt) => attempt.status === 'queued' || attempt.status === 'sending')
    .slice(0, 5)
    .map((attempt) => JSON.stringify(attempt));
  return [
    `job item: ${JSON.stringify(job?.item ?? '(not in the table)')}`,
    `its ${attempts.length} attempts by status: ${JSON.stringify(byStatus)}`,
    ...(stuck.length > 0 ? ['some unfinished attempts:', ...stuck] : []),
    `queues: ${JSON.stringify(await allQueueCounts(config))}`,
  ].join('\n');
}
