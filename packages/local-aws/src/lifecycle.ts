/** Options for {@link stopOnSignals}. */
export interface StopOnSignalsOptions {
  /** Exit anyway if stopping hangs this long. @default 15000 */
  readonly forceAfterMs?: number;
  /** @default console */
  readonly logger?: Pick<Console, 'info' | 'error'>;
}

/**
 * Stops the stack on Ctrl-C, SIGTERM or a closed terminal, then exits 0 (non-zero if stopping
 * failed or hung).
 *
 * A single Ctrl-C often arrives more than once: the terminal signals the whole process group and
 * `npm` and `tsx` forward it again. So a repeat within a second is taken as the same request;
 * a later one means the user wants out now, and the `exit` hooks still kill DynamoDB Local.
 */
export function stopOnSignals(stop: () => Promise<void>, options: StopOnSignalsOptions = {}): void {
  const logger = options.logger ?? console;
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < 1_000) return;
      logger.error(`${signal} again: exiting without waiting for a clean stop`);
      process.exit(1);
    }
    firstAt = Date.now();
    logger.info(`\n${signal} received, stopping the local stack…`);
    const force = setTimeout(() => {
      logger.error('Stopping took too long; exiting anyway');
      process.exit(1);
    }, options.forceAfterMs ?? 15_000);
    force.unref();
    stop().then(
      () => {
        logger.info('Local stack stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('Local stack did not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}
