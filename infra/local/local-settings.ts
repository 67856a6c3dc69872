import { parseScheduleExpression } from '@parent-management/local-aws';
import { parseSettings, type Settings, type SettingsInput } from '../settings';
import { schedules as wiredSchedules } from '../wiring';

/** The deployment settings are invalid; the message names the setting. */
export class InvalidSettingsError extends Error {
  override name = 'InvalidSettingsError';
}

/**
 * Settings as CDK validates them at synth, plus the wiring's schedule expressions as Scheduler
 * would parse them: checked before anything starts.
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
  for (const [name, schedule] of Object.entries(wiredSchedules)) {
    try {
      parseScheduleExpression(schedule.expression, { timeZone: schedule.timeZone });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InvalidSettingsError(`Invalid schedule ${name} in the wiring table — ${reason}`);
    }
  }
  return settings;
}
