import { join } from 'node:path';
import {
  type DynamoDbLocal,
  type FailRecipients,
  type LocalOutbox,
  OutboxJournal,
  type ProviderEventOptions,
  type SesLocal,
  type SqsLocal,
  startDynamoDbLocal,
  startLocalOutbox,
  startSesLocal,
  startSqsLocal,
} from '@parent-management/local-aws';
import { builtInWhatsAppTemplates } from '../../shared/domain/whatsapp-template';
import type { Settings } from '../settings';
import type { QueueDefinition } from '../wiring';
import { redactingLogger } from './redacting-logger';
import { type LocalUserPools, startLocalUserPools } from './user-pools';

/** Options for {@link startEmulators}. */
export interface EmulatorOptions {
  readonly dynamodbPort: number;
  /**
   * Persistent state lives below it (`dynamodb/`, `sqs/`, `cognito/`, the outbox's
   * `outbox.jsonl`); `null` keeps everything in memory.
   */
  readonly dataDir: string | null;
  readonly settings: Settings;
  readonly queues: Readonly<Record<string, QueueDefinition>>;
  readonly queueVisibilityTimeoutSeconds?: number;
  readonly failRecipients: FailRecipients;
  /** Where SES, SMS and WhatsApp publish their delivery events, and which recipients do not get them. */
  readonly providerEvents?: ProviderEventOptions;
  /** @default 0 (a free port) */
  readonly sesPort?: number;
  /** @default 0 (a free port) */
  readonly sesWebPort?: number;
  /** Cognito's port, part of its tokens' issuer. @default 0 (a free port) */
  readonly cognitoPort?: number;
  readonly logger: Pick<Console, 'info' | 'warn' | 'error'>;
}

/** The running emulators. */
export interface Emulators {
  readonly dynamodb: DynamoDbLocal;
  readonly sqs: SqsLocal;
  readonly ses: SesLocal;
  readonly outbox: LocalOutbox;
  readonly cognito: LocalUserPools;
  /** Stops every emulator, each even if another fails to stop. */
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local, SQS, SES, the SMS/WhatsApp outbox and Cognito side by side (the JVM
 * takes longest; the others start meanwhile). If one fails, the ones that started are stopped
 * before the error is rethrown, so a failed start leaves nothing running.
 */
export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const { settings, dataDir, logger } = options;
  // The providers' refusals quote the address they refused.
  const providerLogger = redactingLogger(logger);
  // One journal for the three channels: `GET /_local/outbox` lists them together.
  const journal = new OutboxJournal(dataDir === null ? undefined : join(dataDir, 'outbox.jsonl'));
  const results = await Promise.allSettled([
    startDynamoDbLocal({
      port: options.dynamodbPort,
      dataDir: dataDir === null ? undefined : join(dataDir, 'dynamodb'),
    }),
    startSqsLocal({
      queues: options.queues,
      visibilityTimeoutSeconds: options.queueVisibilityTimeoutSeconds,
      dataDir: dataDir === null ? undefined : join(dataDir, 'sqs'),
    }),
    startSesLocal({
      port: options.sesPort,
      webPort: options.sesWebPort,
      failRecipients: options.failRecipients,
      sender: settings.senderEmail,
      journal,
      events: options.providerEvents,
      logger: providerLogger,
    }),
    startLocalOutbox({
      failRecipients: options.failRecipients,
      whatsapp: {
        phoneNumberId: settings.whatsappPhoneNumberId,
        // As a deployment that registered the built-in wording in every built-in language would have.
        approvedTemplates: builtInWhatsAppTemplates(
          settings.whatsappTemplateName,
          settings.whatsappTemplateLanguage,
        ),
      },
      journal,
      events: options.providerEvents,
      logger: providerLogger,
    }),
    startLocalUserPools({
      port: options.cognitoPort,
      dataDir: dataDir === null ? undefined : join(dataDir, 'cognito'),
      logger,
    }),
  ] as const);

  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    const stopped = await Promise.allSettled(started.map((emulator) => emulator.stop()));
    for (const result of stopped) {
      if (result.status === 'rejected')
        logger.error('[local-stack] an emulator did not stop cleanly:', result.reason);
    }
  };
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [dynamodb, sqs, ses, outbox, cognito] = results.map((result) =>
    result.status === 'fulfilled' ? result.value : undefined,
  ) as [DynamoDbLocal, SqsLocal, SesLocal, LocalOutbox, LocalUserPools];
  return { dynamodb, sqs, ses, outbox, cognito, stop };
}
