/**
 * CDK entry point (`cdk.json` runs it with tsx). The stack is environment-agnostic: synth needs no
 * AWS credentials, no lookups and no Docker.
 *
 * Context (`cdk synth -c key=value` or `cdk.json`):
 * - every deployment setting of `settings.ts` by its name (`schoolName`, `portalUrl`, `senderEmail`,
 *   `scheduledLocalTime`, `sesMaxSendRate`, `apiRateLimit`, `apiBurstLimit`, ...); unset ones take their
 *   defaults, and an invalid one fails synth with the setting named. `allowedOrigins` (CORS) is a
 *   comma-separated string on the command line
 *   (`-c allowedOrigins=https://admin.school.example,https://staff.school.example`) or a JSON array
 *   in `cdk.json`;
 * - `retainData`: `false` lets a throwaway stack delete its table, user pools, logs, queues and console bucket
 *   (default `true`);
 * - `tracing`: `false` turns off X-Ray for every function (default `true`);
 * - `tableIndexStep`: `1` to `4`, a step of moving a stack deployed with the retired list indexes
 *   to the current ones (see the deploy note in `docs/architecture.md`); unset once it has moved.
 */
import { App } from 'aws-cdk-lib';
import { TABLE_INDEX_STEPS, type TableIndexStep } from '../shared/definitions/table-definition';
import { parseSettings, type Settings } from './settings';
import { ParentsStack, settingsFromContext } from './stack';

const app = new App();

/** Context from the command line arrives as a string, from cdk.json as JSON. */
function booleanContext(key: string): boolean | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context "${key}" must be true or false, got ${JSON.stringify(value)}`);
}

/**
 * Stops before anything is built, naming each bad setting and where settings come from. A user
 * error, so the message without a stack trace.
 */
function contextSettings(): Settings {
  try {
    return parseSettings(settingsFromContext(app));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${message}\nSettings come from CDK context: -c name=value, or "context" in cdk.json.`);
    process.exit(1);
  }
}

/** The step of moving the table's indexes, if any. */
function tableIndexStep(): TableIndexStep | undefined {
  const value: unknown = app.node.tryGetContext('tableIndexStep');
  if (value === undefined) return undefined;
  const step = String(value);
  if (!Object.hasOwn(TABLE_INDEX_STEPS, step)) {
    throw new Error(
      `Context "tableIndexStep" must be one of ${Object.keys(TABLE_INDEX_STEPS).join(', ')}, got ${step}`,
    );
  }
  return Number(step) as TableIndexStep;
}

new ParentsStack(app, 'ParentManagement', {
  description: 'Parent management for school information systems',
  settings: contextSettings(),
  retainData: booleanContext('retainData'),
  tracing: booleanContext('tracing'),
  tableIndexStep: tableIndexStep(),
});
