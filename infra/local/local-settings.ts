import { parseScheduleExpression } from '@parent-management/local-aws';
import { parseSettings, type Settings, type SettingsInput } from '../settings';
import { schedules as wiredSchedules } from '../wiring';

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
