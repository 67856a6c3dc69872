import { composeInvite, inviteRecipientOf } from '../domain/invite-message';
import {
  type InvitePreview,
  type InvitePreviewRequest,
  invitePreviewOf,
  SAMPLE_RECIPIENT,
} from '../domain/invite-preview';
import { generateTemporaryPassword, type PasswordPolicy } from '../domain/temporary-password';
import { usernameFor } from '../domain/username';
import type { ParentStore } from '../ports/parent-store';
import type { SchoolSettingsService } from './school-settings';

export interface InvitePreviewDeps {
  readonly settings: Pick<SchoolSettingsService, 'get'>;
  readonly parents: Pick<ParentStore, 'get'>;
  readonly passwordPolicy: PasswordPolicy;
}

/**
 * The invite as the sender would compose it now, with the same settings, template and values,
 * but a password made up for the preview and never set anywhere. A parent without credentials
 * gets the username the sender would create. `null`: the parent named does not exist.
 */
export async function previewInvite(
  deps: InvitePreviewDeps,
  schoolId: string,
  request: InvitePreviewRequest,
): Promise<InvitePreview | null> {
  const [settings, parent] = await Promise.all([
    deps.settings.get(schoolId),
    request.parent_id ? deps.parents.get(schoolId, request.parent_id) : null,
  ]);
  if (request.parent_id && !parent) return null;
  const recipient = parent ? inviteRecipientOf(parent) : SAMPLE_RECIPIENT;
  const message = composeInvite(
    settings,
    request.channel,
    { ...recipient, language: request.language ?? recipient.language },
    {
      username: parent?.credentials?.username ?? usernameFor(schoolId, parent?.id ?? 'sample-parent'),
      temporaryPassword: generateTemporaryPassword(deps.passwordPolicy),
    },
  );
  return invitePreviewOf(message);
}
