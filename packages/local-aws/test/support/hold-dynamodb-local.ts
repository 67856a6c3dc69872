/**
 * Starts DynamoDB Local and waits, printing `{"pid":…,"endpoint":…}`. With `graceful`, stops on
 * signals like `npm start`; with `bare`, installs no handlers, so the tests can kill it the hard way.
 *
 * Arguments: `<bare|graceful> [data directory]` (in memory without one).
 */
import { startDynamoDbLocal } from '../../src/dynamodb-local';
import { stopOnSignals } from '../../src/lifecycle';

const dynamodb = await startDynamoDbLocal({ port: 0, dataDir: process.argv[3] });
if (process.argv[2] === 'graceful') {
  stopOnSignals(() => dynamodb.stop(), { logger: { info: () => {}, error: console.error } });
}
console.log(JSON.stringify({ pid: dynamodb.pid, endpoint: dynamodb.endpoint }));
setInterval(() => {}, 60_000);
