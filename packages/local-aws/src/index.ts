/**
 * The local AWS stack: emulators of the AWS services a serverless application calls, the Lambda
 * triggers that connect them to handlers, and fault injection that makes them behave like AWS on a
 * bad day. Everything a project needs is exported here; nothing else of the package is public.
 * What each part reproduces, and what it does not, is in this package's README.
 */

// Cognito
export {
  type CognitoLocal,
  type CognitoLocalOptions,
  type EnsuredPool,
  startCognitoLocal,
} from './cognito-local';
export type { PostAuthenticationEvent, PostAuthenticationTrigger } from './cognito-rules';
export { type EnsuredTable, ensureTable, type TableSpec } from './create-table';
// SES, SNS (SMS) and WhatsApp: what the providers accepted, in one journal.
export {
  type DeliveryOutcome,
  type DeliveryOutcomes,
  deliveryOutcomesFromEnvironment,
  outcomeFor,
  type ProviderEventOptions,
  type ProviderEventPublisher,
  sesEvents,
  smsEvents,
  whatsAppEvents,
} from './delivery-events';
// DynamoDB
export {
  assertJavaAvailable,
  type DynamoDbLocal,
  type DynamoDbLocalOptions,
  JavaMissingError,
  startDynamoDbLocal,
} from './dynamodb-local';
export {
  type RecordFilterPattern,
  type RecordFilterValue,
  recordFilter,
  UnsupportedFilterError,
} from './event-filter';
export { type FailRecipients, failRecipients } from './fail-recipients';
export { type FaultCounts, type FaultKind, faultKinds } from './faults/fault-counts';
export type { FaultTarget, FaultUpdate } from './faults/fault-decisions';
export {
  type FaultInjection,
  type FaultReport,
  type FaultScope,
  noFaultReport,
  startFaultInjection,
} from './faults/fault-injection';
export {
  defaultFaultRate,
  describeFaultSettings,
  type FaultOptions,
  type FaultProfile,
  type FaultSettings,
  faultProfiles,
  faultSettings,
  faultSettingsFromEnvironment,
  InvalidFaultSettingsError,
} from './faults/profiles';
export { MAX_REQUEST_HEAD_BYTES } from './http-event';
// API Gateway HTTP API and its JWT authorizer.
export {
  type HttpGateway,
  type HttpGatewayOptions,
  type HttpHandler,
  type HttpRouteBinding,
  startHttpGateway,
} from './http-gateway';
export { JwtAuthorizer, type JwtAuthorizerOptions } from './jwt-authorizer';

// Lambda: invocations, and the triggers that deliver to them.
export {
  createLambdaContext,
  InvocationCrashedError,
  type InvocationReport,
  invokeLambda,
  type LambdaHandler,
  LambdaTimeoutError,
  observeInvocations,
} from './lambda-runtime';
export { type StopOnSignalsOptions, stopOnSignals } from './lifecycle';
// The account every emulator signs and names its ARNs with.
export { localAccountId, localCredentials, localRegion } from './local-account';
export { type LocalOutbox, type LocalOutboxOptions, startLocalOutbox, type WhatsAppSender } from './outbox';
export { newestFirst, type OutboxChannel, type OutboxItem, outboxChannels } from './outbox-item';
export { OutboxJournal } from './outbox-journal';
export { assertPortFree, findFreePort, PortInUseError } from './ports';
// SQS
export { messagesIn, type QueueCounts, queueCounts } from './queue-counts';
export {
  type QueueDeliveryFaults,
  type QueueHandler,
  QueuePoller,
  type QueuePollerOptions,
} from './queue-poller';
export { cronerPattern, parseScheduleExpression, scheduledTimeText } from './schedule-expression';
// EventBridge Scheduler
export {
  type LocalSchedule,
  LocalScheduler,
  type LocalSchedulerOptions,
  UnknownScheduleError,
} from './scheduler';
// The AWS SDK seen from inside: request counting, recorded answers, and fault injection.
export {
  type AttemptResult,
  type PendingAttempt,
  type RawRequest,
  type RawResponse,
  type SdkCall,
  type SdkHooks,
  useSdkHooks,
} from './sdk-hooks';
export { localConfigurationSet, type SesLocal, type SesLocalOptions, startSesLocal } from './ses-local';
export {
  type LocalQueue,
  type QueueDefinition,
  type SqsLocal,
  type SqsLocalOptions,
  startSqsLocal,
} from './sqs-local';
export { toLambdaRecord } from './stream-event';
export {
  type StreamDeliveryFaults,
  type StreamHandler,
  StreamPoller,
  type StreamPollerOptions,
} from './stream-poller';
