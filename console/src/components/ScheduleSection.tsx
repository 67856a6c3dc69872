import { type Channel, channelNames, channels, type WeekDay } from '../api-types';
import type { SettingsDraft } from '../settings-fields';
import { CheckboxField, CheckboxGroup, NumberField, SelectField, TextField } from './FormFields';

type ScheduleFields = SettingsDraft['schedule'];

const weekDays = [
  { value: 'mon', label: 'Monday' },
  { value: 'tue', label: 'Tuesday' },
  { value: 'wed', label: 'Wednesday' },
  { value: 'thu', label: 'Thursday' },
  { value: 'fri', label: 'Friday' },
  { value: 'sat', label: 'Saturday' },
  { value: 'sun', label: 'Sunday' },
] as const satisfies readonly { value: WeekDay; label: string }[];

/** When and how the school invites on its own: days, time, channel and retries. */
export function ScheduleSection(props: {
  value: ScheduleFields;
  timeZone: string;
  onChange: (value: ScheduleFields) => void;
}) {
  const { value, onChange } = props;
  const set = (change: Partial<ScheduleFields>) => onChange({ ...value, ...change });
  return (
    <fieldset class="card settings-group">
      <legend>Schedule</legend>
      <p class="hint">
        Scheduled invites go to parents not invited yet and retry failed ones, at the local time below in the
        school's time zone, on the days chosen.
      </p>
      <CheckboxField
        path="schedule.enabled"
        checked={value.enabled}
        onValue={(enabled) => set({ enabled })}
      />
      <TextField
        path="schedule.local_time"
        type="time"
        value={value.local_time}
        onValue={(local_time) => set({ local_time })}
        hint={`In the school's time zone (${props.timeZone})`}
      />
      <CheckboxGroup
        path="schedule.days"
        values={value.days}
        onValues={(days) => set({ days })}
        options={weekDays}
      />
      <SelectField
        path="schedule.channel"
        value={value.channel}
        onValue={(channel) => set({ channel: channel as Channel })}
        options={channels.map((channel) => ({ value: channel, label: channelNames[channel] }))}
      />
      <NumberField
        path="schedule.max_attempts"
        value={value.max_attempts}
        onValue={(max_attempts) => set({ max_attempts })}
        min={1}
        max={20}
        hint="A parent whose invites failed this many times is no longer retried"
      />
      <NumberField
        path="schedule.reinvite_unactivated_after_days"
        value={value.reinvite_unactivated_after_days}
        onValue={(reinvite_unactivated_after_days) => set({ reinvite_unactivated_after_days })}
        min={1}
        max={365}
        hint="Each run invites again, by the schedule's channel, parents who have not signed in this many days after their latest invite (never one who has); empty: never"
      />
    </fieldset>
  );
}
