/**
 * Starts the local SQS on a data directory and waits, printing `{"endpoint":…,"queue":…}`. It
 * installs no signal handlers: the tests SIGKILL it to crash it the way `kill -9` would.
 *
 * Arguments: `<dataDir> <port>` (port 0 picks a free one).
 */
import { startSqsLocal } from '../../src/sqs-local';

const [dataDir, port = '0'] = process.argv.slice(2);
const sqs = await startSqsLocal({
  dataDir,
  port: Number(port),
  queues: { jobs: { visibilityTimeoutSeconds: 60, maxReceiveCount: 2 } },
  visibilityTimeoutSeconds: 2,
});
console.log(JSON.stringify({ endpoint: sqs.endpoint, queue: sqs.queues.jobs }));
setInterval(() => {}, 60_000);
