import { localCredentials, localRegion } from '@parent-management/local-aws';

/** What the handlers need in `process.env` to talk to the local emulators. */
export interface LocalEnvironmentOptions {
  readonly tableName: string;
  readonly dynamodbEndpoint: string;
  /**
   * The functions' own variables: the settings (`settingsEnvironment`), the capabilities' variables
   * and the other emulators' endpoint variables (`AWS_ENDPOINT_URL_SQS`, ...).
   */
  readonly functionEnvironment?: Readonly<Record<string, string>>;
  /** Extra or overriding variables, e.g. `DEFAULT_COUNTRY`. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Sets the variables the handlers read at module load (see `shared/config.ts`) plus the SDK's
 * service-specific endpoint variables, so that the unchanged handler code reaches the emulators.
 * Must run before the handler modules are imported: their clients are built at module scope.
 *
 * @returns the variables that were set (for printing and tests).
 */
export function applyLocalEnvironment(options: LocalEnvironmentOptions): Record<string, string> {
  const values: Record<string, string> = {
    AWS_REGION: localRegion,
    AWS_DEFAULT_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamodbEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: options.dynamodbEndpoint,
    TABLE_NAME: options.tableName,
    ...options.functionEnvironment,
    ...options.env,
  };
  // Left over from the developer's shell, these would be mixed with the fake keys above.
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, values);
  return values;
}
