import { SQSClient } from '@aws-sdk/client-sqs';
import { localCredentials, messagesIn, queueCounts } from '@parent-management/local-aws';
import type { LocalConfig } from '../../infra/local/local-routes';

/**
 * For a stack in another process, whose `waitForIdle` is out of reach: waits until every queue
 * (dead-letter queues aside) has nothing visible, in flight or delayed, on `quietPolls` polls in a
 * row a second apart. The stream has no such count; parent sync finishes within a poll or two of
 * the last student write, which the repeated polls cover.
 */
export async function waitForQuietQueues(apiUrl: string, timeoutMs = 600_000, quietPolls = 3): Promise<void> {
  const config = (await (await fetch(`${apiUrl}/_local/config`)).json()) as LocalConfig;
  const sqs = new SQSClient({
    endpoint: config.sqs.endpoint,
    region: config.region,
    credentials: localCredentials,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (let quiet = 0; quiet < quietPolls; ) {
      if (Date.now() > deadline) throw new Error(`The queues were not quiet within ${timeoutMs / 1000} s`);
      let waiting = 0;
      for (const queueUrl of Object.values(config.sqs.queues)) {
        waiting += messagesIn(await queueCounts(sqs, queueUrl));
      }
      quiet = waiting === 0 ? quiet + 1 : 0;
      await new Promise((wake) => setTimeout(wake, 1_000));
    }
  } finally {
    sqs.destroy();
  }
}
