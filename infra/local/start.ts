/**
 * `npm start`: the whole system on this machine, no AWS account needed.
 *
 *   npm start                 keep data in .local/ between runs
 *   npm start -- --fresh      wipe .local/ first
 *   PORT=4000 npm start       HTTP API port (default 3000)
 *   DYNAMODB_PORT=8001 ...    DynamoDB Local port (default 8000)
 *   LOCAL_DATA_DIR=...        where data is kept (default .local/ in the repository)
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { JavaMissingError } from './dynamodb-local';
import { MissingHandlerError, repositoryRoot } from './handlers';
import { stopOnSignals } from './lifecycle';
import { type LocalStack, startLocalStack } from './local-stack';
import { PortInUseError } from './ports';

const usage = 'Usage: npm start [-- --fresh]   (env: PORT, DYNAMODB_PORT, LOCAL_DATA_DIR)';

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`${name} must be a port number, got "${raw}"`);
  }
  return port;
}

class UsageError extends Error {}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
}

function banner(stack: LocalStack): string {
  const data = stack.dataDir ?? 'in memory';
  return [
    '',
    'Local stack is running',
    `  HTTP API         ${stack.url}`,
    `  routes           ${stack.gateway.routeKeys().join(', ')}`,
    `  DynamoDB Local   ${stack.dynamodbEndpoint}  (table ${stack.tableName})`,
    `  stream triggers  ${Object.keys(stack.streamPollers).join(', ') || 'none'}`,
    `  data             ${data}`,
    '',
    'Try:',
    `  curl ${stack.url}/health`,
    `  curl -X POST ${stack.url}/students -H 'content-type: application/json' \\`,
    `    -d '{"first_name":"Ada","last_name":"Lovelace","parents_contact":"+12025550143","parents_email":"parent@example.com"}'`,
    `  curl ${stack.url}/parents`,
    `  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws dynamodb scan --region us-east-1 \\`,
    `    --table-name ${stack.tableName} --endpoint-url ${stack.dynamodbEndpoint}`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { fresh: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const dataDir = resolve(repositoryRoot, process.env.LOCAL_DATA_DIR || '.local');
  const stack = await startLocalStack({
    port: portFrom('PORT', 3000),
    dynamodbPort: portFrom('DYNAMODB_PORT', 8000),
    dataDir,
    fresh: values.fresh,
  });
  stopOnSignals(stack.stop);
  console.log(banner(stack));
}

main().catch((error: unknown) => {
  // Expected problems get one line; anything else keeps its stack trace for whoever debugs it.
  const expected =
    error instanceof JavaMissingError || error instanceof MissingHandlerError || error instanceof UsageError;
  if (error instanceof PortInUseError) {
    console.error(`npm start: ${error.message} (ports come from PORT and DYNAMODB_PORT)`);
  } else if (expected) {
    console.error(`npm start: ${error.message}`);
  } else if (isParseArgsError(error)) {
    console.error(`npm start: ${error.message}\n${usage}`);
  } else {
    console.error('npm start: the local stack failed to start:', error);
  }
  process.exit(1);
});
