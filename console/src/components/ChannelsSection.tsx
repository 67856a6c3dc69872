import type { SchoolSettings } from '../api-types';
import { CheckboxField, TextField } from './FormFields';

type ChannelFields = Pick<SchoolSettings, 'channels' | 'email' | 'sms' | 'whatsapp'>;

/** Each channel: whether invites may go by it, and how its messages are signed. */
export function ChannelsSection(props: { value: ChannelFields; onChange: (value: ChannelFields) => void }) {
  const { value, onChange } = props;
  const turn = (channel: keyof ChannelFields['channels'], on: boolean) =>
    onChange({ ...value, channels: { ...value.channels, [channel]: on } });
  return (
    <fieldset class="card settings-group">
      <legend>Channels</legend>
      <fieldset class="channel-group">
        <legend>Email</legend>
        <CheckboxField
          path="channels.email"
          checked={value.channels.email}
          onValue={(on) => turn('email', on)}
        />
        <TextField
          path="email.from_name"
          value={value.email.from_name}
          onValue={(from_name) => onChange({ ...value, email: { ...value.email, from_name } })}
          hint="The sender's name parents see"
        />
        <TextField
          path="email.reply_to"
          type="email"
          value={value.email.reply_to ?? ''}
          onValue={(reply_to) =>
            onChange({ ...value, email: { ...value.email, reply_to: reply_to || null } })
          }
          hint="Empty: replies go to the sending address"
        />
      </fieldset>
      <fieldset class="channel-group">
        <legend>SMS</legend>
        <CheckboxField path="channels.sms" checked={value.channels.sms} onValue={(on) => turn('sms', on)} />
        <TextField
          path="sms.sender_id"
          value={value.sms.sender_id ?? ''}
          onValue={(sender_id) => onChange({ ...value, sms: { sender_id: sender_id || null } })}
          hint="1 to 11 letters or digits, shown where the destination country allows; empty: none"
        />
      </fieldset>
      <fieldset class="channel-group">
        <legend>WhatsApp</legend>
        <CheckboxField
          path="channels.whatsapp"
          checked={value.channels.whatsapp}
          onValue={(on) => turn('whatsapp', on)}
        />
        <TextField
          path="whatsapp.template_name"
          value={value.whatsapp.template_name}
          onValue={(template_name) => onChange({ ...value, whatsapp: { ...value.whatsapp, template_name } })}
          hint="The message template approved by Meta on the sending number"
        />
        <TextField
          path="whatsapp.template_language"
          value={value.whatsapp.template_language}
          onValue={(template_language) =>
            onChange({ ...value, whatsapp: { ...value.whatsapp, template_language } })
          }
          hint="As WhatsApp writes it, e.g. en, es_MX or pt_BR"
        />
      </fieldset>
    </fieldset>
  );
}
