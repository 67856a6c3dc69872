import { redactText } from '../../shared/redact';

type Logger = Pick<Console, 'info' | 'warn' | 'error'>;

/** `logger` with every string it is given masked as the handlers' logs are (addresses, numbers). */
export function redactingLogger(logger: Logger): Logger {
  const redacted =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) =>
      write(...args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)));
  return {
    info: redacted(logger.info.bind(logger)),
    warn: redacted(logger.warn.bind(logger)),
    error: redacted(logger.error.bind(logger)),
  };
}
