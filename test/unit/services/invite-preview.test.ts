import { describe, expect, it, vi } from 'vitest';
import { parentPoolDefinition } from '../../../shared/definitions/parent-pool-definition';
import { composeInvite, inviteRecipientOf } from '../../../shared/domain/invite-message';
import { smsParts } from '../../../shared/domain/sms-parts';
import { usernameFor } from '../../../shared/domain/username';
import { previewInvite } from '../../../shared/services/invite-preview';
import { parentDetail } from '../../support/invite-fakes';
import { schoolSettingsReader } from '../../support/school-settings';

const deps = (parent = parentDetail({ parents_language: 'fr' })) => ({
  settings: schoolSettingsReader({ name: 'Hillside', default_language: 'es' }),
  parents: { get: vi.fn(async (_school: string, id: string) => (id === parent.id ? parent : null)) },
  passwordPolicy: parentPoolDefinition.passwordPolicy,
});

/** The preview's body with its sample password replaced by the one given. */
const withPassword = (body: string, label: string, password: string) =>
  body.replace(new RegExp(`^${label}: .+$`, 'm'), `${label}: ${password}`);

describe('previewInvite', () => {
  it("renders the parent's message as the sender would, but with a sample password", async () => {
    const parent = parentDetail({ parents_language: 'fr' });
    const preview = await previewInvite(deps(parent), 'demo', { channel: 'sms', parent_id: parent.id });
    const settings = await schoolSettingsReader({ name: 'Hillside', default_language: 'es' }).get('demo');
    const sent = composeInvite(settings, 'sms', inviteRecipientOf(parent), {
      // A parent without credentials gets this username when first invited.
      username: usernameFor('demo', parent.id),
      temporaryPassword: 'Real-Passw0rd!',
    });
    expect(preview).toMatchObject({
      channel: 'sms',
      language: 'fr',
      subject: null,
      encoding: 'GSM-7',
      parts: smsParts(sent.body).parts,
    });
    expect(withPassword(preview?.body ?? '', 'Mot de passe temporaire ', 'Real-Passw0rd!')).toBe(sent.body);
    expect(preview?.body).not.toContain('Real-Passw0rd!');
  });

  it('takes the language asked over the parent’s, and a sample parent when none is named', async () => {
    const asked = await previewInvite(deps(), 'demo', { channel: 'email', language: 'ar', parent_id: 'P1' });
    expect(asked?.language).toBe('ar');
    const sample = await previewInvite(deps(), 'demo', { channel: 'email' });
    expect(sample).toMatchObject({ language: 'es', parts: 1, encoding: 'UTF-8' });
    expect(sample?.body).toContain('Sam Example y Alex Example');
    expect(sample?.html).toContain('<html lang="es" dir="ltr">');
  });

  it('answers null for a parent the school does not have', async () => {
    expect(await previewInvite(deps(), 'demo', { channel: 'email', parent_id: 'P404' })).toBeNull();
  });
});
