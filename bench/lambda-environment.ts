import { functionEnvironment } from '../infra/local/function-environment';
import { localSettings } from '../infra/local/local-settings';
import { type FunctionWiring, queues } from '../infra/wiring';

/** Nothing listens here: a handler that tried to call AWS at load would fail at once. */
const UNREACHABLE = 'http://127.0.0.1:9';

/**
 * The environment a function's module reads at load in Lambda, with stand-ins for what
 * CloudFormation fills in (table name, queue URLs, pool id): module-scope configuration checks
 * run for real, and no value points at anything that answers.
 */
export function lambdaEnvironment(functionName: string, wiring: FunctionWiring): Record<string, string> {
  const settings = localSettings({});
  const resources = {
    settings,
    endpoints: {
      sqs: UNREACHABLE,
      sesv2: UNREACHABLE,
      sns: UNREACHABLE,
      smsVoice: UNREACHABLE,
      socialMessaging: UNREACHABLE,
      cognito: UNREACHABLE,
    },
    queueUrls: Object.fromEntries(
      Object.keys(queues).map((name) => [name, `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`]),
    ) as Record<keyof typeof queues, string>,
    parentPoolId: 'us-east-1_Benchmark',
    configurationSet: 'benchmark',
    smsConfigurationSet: 'benchmark',
  };
  return {
    ...functionEnvironment(
      wiring,
      { TABLE_NAME: 'benchmark', AWS_ENDPOINT_URL_DYNAMODB: UNREACHABLE },
      resources,
      {},
    ),
    // What Lambda itself sets for every function.
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'benchmark',
    AWS_SECRET_ACCESS_KEY: 'benchmark',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    POWERTOOLS_SERVICE_NAME: functionName,
  };
}
