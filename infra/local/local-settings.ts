import { parseSettings, type Settings, type SettingsInput } from '../settings';
import { type QueueFunction, schedules as wiredSchedules } from '../wiring';
import { parseScheduleExpression } from './schedule-expression';

/** The deployment settings are invalid; the message names the setting. */
export class InvalidSettingsError extends Error {
  override name = 'InvalidSettingsError';
}

/**
 * Settings as CDK validates them at synth (schema, time zone), plus the schedule expressions as
 * Scheduler would parse them: checked before anything starts.
 *
 * @throws InvalidSettingsError
 */
export function localSettings(input: SettingsInput): Settings {
  let settings: Settings;
  try {
    settings = parseSettings(input);
  } catch (error) {
    throw new InvalidSettingsError(error instanceof Error ? error.message : String(error));
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: settings.inviteScheduleTimeZone });
  } catch {
    throw new InvalidSettingsError(
      `Invalid settings — inviteScheduleTimeZone: "${settings.inviteScheduleTimeZone}" is not an IANA time zone`,
    );
  }
  for (const schedule of Object.values(wiredSchedules)) {
    try {
      parseScheduleExpression(settings[schedule.expressionSetting], {
        timeZone: settings.inviteScheduleTimeZone,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InvalidSettingsError(`Invalid settings — ${schedule.expressionSetting}: ${reason}`);
    }
  }
  return settings;
}

/**
 * A queue trigger's `maximumConcurrency`: `'sesMaxSendRate'` means as many concurrent senders as
 * SES accepts messages per second (as in CDK), within Lambda's allowed range of 2 to 1000.
 */
export function queueConcurrency(wiring: Pick<QueueFunction, 'maxConcurrency'>, settings: Settings): number {
  const wanted = wiring.maxConcurrency === 'sesMaxSendRate' ? settings.sesMaxSendRate : wiring.maxConcurrency;
  return Math.min(1000, Math.max(2, wanted));
}
