import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiError } from '../api';
import { type Channel, channelNames, type ParentDetail, statusNames } from '../api-types';
import { attemptNote, formatTime, languageName, parentLabel } from '../format';
import { Modal } from './Modal';
import { PhoneNumber } from './PhoneNumber';
import { useFormatPhone, useSchool } from './SchoolContext';

/** A parent's fields, every child with grade, and the invite history (newest first). */
export function ParentDetails(props: { api: Api; parentId: string; onClose: () => void }) {
  const [parent, setParent] = useState<ParentDetail | null>(null);
  const [error, setError] = useState('');
  const formatPhone = useFormatPhone();
  const defaultLanguage = useSchool().settings?.default_language;
  useEffect(() => {
    props.api
      .get<ParentDetail>(`/parents/${encodeURIComponent(props.parentId)}`)
      .then(setParent)
      .catch((caught) =>
        setError(caught instanceof ApiError ? caught.message : 'The parent could not be loaded.'),
      );
  }, [props.api, props.parentId]);

  return (
    <Modal title={parent ? parentLabel(parent, formatPhone) : 'Parent'} onClose={props.onClose} wide>
      {error && <p role="alert">{error}</p>}
      {!parent && !error && <p>Loading…</p>}
      {parent && (
        <div class="details">
          <dl class="fields">
            <dt>Father</dt>
            <dd>{parent.father_name ?? '—'}</dd>
            <dt>Mother</dt>
            <dd>{parent.mother_name ?? '—'}</dd>
            <dt>Phone</dt>
            <dd>{parent.parents_contact ? <PhoneNumber e164={parent.parents_contact} /> : '—'}</dd>
            <dt>Email</dt>
            <dd>{parent.parents_email ?? '—'}</dd>
            <dt>Language</dt>
            <dd>
              {parent.parents_language
                ? languageName(parent.parents_language)
                : `The school's default${defaultLanguage ? `, ${languageName(defaultLanguage)}` : ''}`}
            </dd>
            <dt>Username</dt>
            <dd>{parent.credentials ? <code>{parent.credentials.username}</code> : 'No credentials yet'}</dd>
            <dt>Portal</dt>
            <dd>
              {parent.activated_at ? `Activated ${formatTime(parent.activated_at)}` : 'Not signed in yet'}
            </dd>
            <dt>Invite</dt>
            <dd>
              {statusNames[parent.invite.status]}
              {parent.invite.error ? ` — ${parent.invite.error}` : ''}
            </dd>
          </dl>
          <h3>Children ({parent.children.length})</h3>
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Grade</th>
              </tr>
            </thead>
            <tbody>
              {parent.children.map((child) => (
                <tr key={child.id}>
                  <td>
                    {child.first_name} {child.last_name}
                  </td>
                  <td>{child.grade ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Invite history</h3>
          {parent.invites.length === 0 ? (
            <p class="muted">Not invited yet.</p>
          ) : (
            <table class="compact">
              <thead>
                <tr>
                  <th scope="col">Requested</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Status</th>
                  <th scope="col">Completed</th>
                  <th scope="col">Reason or delivery</th>
                </tr>
              </thead>
              <tbody>
                {parent.invites.map((invite) => (
                  <tr key={invite.id}>
                    <td>{formatTime(invite.requested_at)}</td>
                    <td>{channelNames[invite.channel as Channel] ?? invite.channel}</td>
                    <td>
                      <span class={`badge badge-${invite.status}`}>{statusNames[invite.status]}</span>
                    </td>
                    <td>{formatTime(invite.completed_at)}</td>
                    <td>{attemptNote(invite)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </Modal>
  );
}
