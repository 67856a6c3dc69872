import {
  type Channel,
  channelNames,
  channels,
  type Parent,
  statusNames,
  unavailableReason,
} from '../api-types';
import { formatTime, parentLabel } from '../format';
import { PhoneNumber } from './PhoneNumber';
import { useFormatPhone } from './SchoolContext';

export interface ParentRowProps {
  readonly parent: Parent;
  readonly selected: boolean;
  readonly busy: boolean;
  onSelect(selected: boolean): void;
  onDetails(): void;
  onCreateCredentials(): void;
  onInvite(channel: Channel): void;
}

/** One parent in the list, with its per-row actions. */
export function ParentRow(props: ParentRowProps) {
  const { parent } = props;
  const label = parentLabel(parent, useFormatPhone());
  const reasons = channels
    .map((channel) => [channel, unavailableReason(parent, channel)] as const)
    .filter(([, reason]) => reason !== null);
  const reasonId = `reasons-${parent.id}`;
  const invited = parent.invite.status !== 'not_invited';
  return (
    <tr data-parent-id={parent.id} aria-busy={props.busy}>
      <td class="select-cell">
        <input
          type="checkbox"
          checked={props.selected}
          onChange={(event) => props.onSelect(event.currentTarget.checked)}
          aria-label={`Select ${label}`}
        />
      </td>
      <td data-label="Parents">
        <div class="names">
          {parent.father_name && <span>{parent.father_name}</span>}
          {parent.mother_name && <span>{parent.mother_name}</span>}
          {!parent.father_name && !parent.mother_name && <span class="muted">No names given</span>}
        </div>
      </td>
      <td data-label="Contact">
        <div class="contact">
          {parent.parents_contact ? (
            <PhoneNumber e164={parent.parents_contact} />
          ) : (
            <span class="muted">No phone</span>
          )}
          {parent.parents_email ? <span>{parent.parents_email}</span> : <span class="muted">No email</span>}
        </div>
      </td>
      <td data-label="Children" class="number">
        {parent.children_count}
      </td>
      <td data-label="Credentials">
        {parent.credentials ? <code>{parent.credentials.username}</code> : <span class="muted">None</span>}
      </td>
      <td data-label="Invite">
        <div class="invite">
          <span class={`badge badge-${parent.invite.status}`}>{statusNames[parent.invite.status]}</span>
          {parent.invite.channel && (
            <span class="muted">
              {channelNames[parent.invite.channel as Channel] ?? parent.invite.channel} ·{' '}
              {formatTime(parent.invite.at)}
            </span>
          )}
          {parent.invite.error && <span class="error-text">{parent.invite.error}</span>}
          {parent.activated_at && (
            <span class="muted">Signed in to the portal {formatTime(parent.activated_at)}</span>
          )}
        </div>
      </td>
      <td data-label="Actions" class="actions-cell">
        <div>
          <div class="row-actions">
            <button
              type="button"
              onClick={props.onDetails}
              aria-label={`Details of ${label}`}
              title="Details"
            >
              <InfoIcon /> Details
            </button>
            <button
              type="button"
              onClick={props.onCreateCredentials}
              disabled={props.busy || parent.credentials !== null}
              title={parent.credentials ? 'Credentials exist already' : undefined}
              aria-label={`Create credentials for ${label}`}
            >
              Credentials
            </button>
          </div>
          <fieldset class="row-actions" aria-label={`${invited ? 'Re-invite' : 'Invite'} ${label} by`}>
            <legend class="inline-legend">{invited ? 'Re-invite:' : 'Invite:'}</legend>
            {channels.map((channel) => {
              const reason = unavailableReason(parent, channel);
              return (
                <button
                  key={channel}
                  type="button"
                  onClick={() => props.onInvite(channel)}
                  disabled={props.busy || reason !== null}
                  title={reason ?? undefined}
                  aria-describedby={reason ? reasonId : undefined}
                  aria-label={`${invited ? 'Re-invite' : 'Invite'} ${label} by ${channelNames[channel]}`}
                >
                  {channelNames[channel]}
                </button>
              );
            })}
          </fieldset>
          {reasons.length > 0 && (
            <p id={reasonId} class="reason">
              {reasons.map(([channel, reason]) => `${channelNames[channel]}: ${reason}`).join(' · ')}
            </p>
          )}
        </div>
      </td>
    </tr>
  );
}

function InfoIcon() {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" stroke-width="1.5" />
      <rect x="7.25" y="7" width="1.5" height="5" fill="currentColor" />
      <circle cx="8" cy="4.75" r="1" fill="currentColor" />
    </svg>
  );
}
