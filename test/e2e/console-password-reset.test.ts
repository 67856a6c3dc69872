import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { localCredentials, localRegion } from '@parent-management/local-aws';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleAdmin } from '../../infra/local/local-stack';
import { parentDetailResponse } from '../../shared/http/api-schemas';
import { apiAs } from '../integration/client';
import { useLocalStack } from '../integration/support/local-stack';
import { accessibilityViolations } from './support/accessibility';
import { hasChromium, launchChromium } from './support/browser';
import { buildConsole } from './support/console-build';

/**
 * The console asks before replacing a password a parent chose, in headless Chromium on the local
 * stack. Seeded through the API: one parent invited and activated (first portal sign-in, done
 * with the SDK as the portal does it), one never invited. Then, as an admin would: a re-invite of
 * the activated parent asks first (Cancel sends nothing, the confirmation sends with
 * `reset_password`), a 409 for a parent who signed in after the list was read asks the same, and a
 * bulk invite keeps the activated parent's password unless its option is ticked.
 */
const admin: ConsoleAdmin = {
  schoolId: 'demo',
  email: 'office@example.com',
  password: 'Console-Test-Pass-1',
};
const chosenEmail = 'chosen.family@example.com';
const waitingEmail = 'waiting.family@example.com';
const build = hasChromium ? await buildConsole() : undefined;

describe.skipIf(!hasChromium)(
  'console: re-inviting a parent who chose a password (headless Chromium)',
  () => {
    const stack = useLocalStack({ consoleBuildDir: build?.dir, consoleAdmin: admin });
    const api = apiAs(stack);
    let browser: Browser;
    let page: Page;
    let chosenId = '';
    /** The bodies of the single invites the page sent (`POST /parents/{id}/invites`). */
    const singleInvites: unknown[] = [];

    const emailsTo = async (to: string) =>
      (await stack().outbox.items('email')).filter((email) => email.to === to);
    const attempts = async () =>
      parentDetailResponse.parse((await api('GET', `/parents/${chosenId}`)).body).invites;
    const row = (text: string) => page.getByRole('row').filter({ hasText: text });
    const reinviteByEmail = () =>
      row('Grace Chosen').getByRole('button', { name: 'Re-invite Grace Chosen by Email' }).click();
    const question = () => page.getByRole('alertdialog', { name: 'Replace the password they chose?' });

    beforeAll(async () => {
      for (const [first_name, mother_name, parents_email] of [
        ['Ada', 'Grace Chosen', chosenEmail],
        ['Otis', 'Otto Waiting', waitingEmail],
      ]) {
        const created = await api('POST', '/students', {
          first_name,
          last_name: 'Reset',
          mother_name,
          parents_email,
        });
        expect(created.status).toBe(201);
        if (parents_email === chosenEmail) chosenId = created.body.parent_id;
      }
      await stack().waitForIdle();
      expect((await api('POST', `/parents/${chosenId}/invites`, { channel: 'email' })).status).toBe(202);
      await stack().waitForIdle();
      const [invite] = await emailsTo(chosenEmail);
      const username = /^Username: (.+)$/m.exec(invite?.body ?? '')?.[1] ?? '';
      const temporary = /^Temporary password: (.+)$/m.exec(invite?.body ?? '')?.[1] ?? '';
      const cognito = new CognitoIdentityProviderClient({
        endpoint: stack().cognito.endpoint,
        region: localRegion,
        credentials: localCredentials,
      });
      const challenge = await cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: stack().cognito.parentClientId,
          AuthParameters: { USERNAME: username, PASSWORD: temporary },
        }),
      );
      await cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: stack().cognito.parentClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Family-Chosen-Passw0rd!' },
        }),
      );
      expect(
        parentDetailResponse.parse((await api('GET', `/parents/${chosenId}`)).body).activated_at,
      ).toEqual(expect.any(String));

      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (error) => console.error('page error:', error));
      page.on('request', (request) => {
        if (
          request.method() === 'POST' &&
          /\/parents\/[^/]+\/invites$/.test(new URL(request.url()).pathname)
        ) {
          singleInvites.push(request.postDataJSON());
        }
      });
    });
    afterAll(async () => {
      await browser?.close();
      build?.remove();
    });

    it('shows the activated parent as signed in to the portal', async () => {
      await page.goto(`${stack().url}/`);
      await page.getByLabel('Email').fill(admin.email);
      await page.getByLabel('Password').fill(admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Parents' }).waitFor();
      expect(await row('Grace Chosen').textContent()).toContain('Signed in to the portal');
      expect(await row('Otto Waiting').textContent()).not.toContain('Signed in to the portal');
    });

    it('asks before a re-invite; Cancel sends nothing', async () => {
      await reinviteByEmail();
      const dialog = question();
      await dialog.waitFor();
      expect(await dialog.textContent()).toMatch(
        /Grace Chosen signed in on .+ and chose a password\. A new invite replaces it with a temporary password/,
      );
      // Focus starts on Cancel, so that Enter never replaces a password by accident.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
      expect(await accessibilityViolations(page)).toEqual([]);

      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(singleInvites).toEqual([]);
      expect(await attempts()).toHaveLength(1);
      expect(await emailsTo(chosenEmail)).toHaveLength(1);
    });

    it('sends with reset_password once confirmed: a new temporary password reaches the outbox', async () => {
      await reinviteByEmail();
      await question().getByRole('button', { name: 'Replace password and invite by Email' }).click();
      await question().waitFor({ state: 'detached' });
      await expect.poll(async () => (await emailsTo(chosenEmail)).length, { timeout: 20_000 }).toBe(2);
      expect(singleInvites).toEqual([{ channel: 'email', reset_password: true }]);

      const [newest, first] = await emailsTo(chosenEmail);
      const temporary = (email: typeof newest) => /^Temporary password: (.+)$/m.exec(email?.body ?? '')?.[1];
      expect(temporary(newest)).toEqual(expect.any(String));
      expect(temporary(newest)).not.toBe(temporary(first));
      await expect.poll(async () => (await attempts())[0]?.status, { timeout: 20_000 }).toBe('invited');
      expect(await attempts()).toHaveLength(2);
      // The page reads the list again within 1.5 s while an invite is queued.
      await expect
        .poll(() => row('Grace Chosen').locator('.badge').textContent(), { timeout: 10_000 })
        .toBe('Invited');
    });

    it('asks the same when the API refuses a parent who signed in after the list was read', async () => {
      // The page's lists as read before Grace Chosen signed in: not activated.
      const listOfParents = (url: URL) => url.pathname.endsWith('/parents');
      await page.route(listOfParents, async (route) => {
        const response = await route.fetch();
        const list = (await response.json()) as { items: { activated_at: string | null }[] };
        await route.fulfill({
          response,
          json: { ...list, items: list.items.map((item) => ({ ...item, activated_at: null })) },
        });
      });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect
        .poll(() => row('Grace Chosen').textContent(), { timeout: 10_000 })
        .not.toContain('Signed in to the portal');

      await reinviteByEmail();
      const dialog = question();
      await dialog.waitFor();
      expect(singleInvites.at(-1)).toEqual({ channel: 'email' });
      expect(await dialog.textContent()).toMatch(/Grace Chosen signed in on .+ and chose a password/);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.unroute(listOfParents);
      expect(await attempts()).toHaveLength(2);
    });

    it('bulk-invites without replacing the chosen password unless asked, and says whose it kept', async () => {
      await page.getByRole('checkbox', { name: 'Select Grace Chosen' }).check();
      await page.getByRole('checkbox', { name: 'Select Otto Waiting' }).check();
      const option = page.getByRole('checkbox', { name: 'Also re-invite parents who already signed in' });
      expect(await option.isChecked()).toBe(false);
      await page
        .getByRole('group', { name: 'Invite selected by' })
        .getByRole('button', { name: 'Email' })
        .click();

      const job = page.getByRole('region', { name: /Bulk invite by Email/ });
      await expect.poll(() => job.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('finished');
      expect(await job.locator('[data-count="sent"]').textContent()).toBe('1');
      expect(await job.locator('[data-count="skipped"]').textContent()).toBe('1');
      expect(await job.locator('[data-skipped-activated]').textContent()).toBe(
        'Of the skipped, 1 parent kept their password: already signed in.',
      );
      expect(await emailsTo(waitingEmail)).toHaveLength(1);
      expect(await emailsTo(chosenEmail)).toHaveLength(2);
      await job.getByRole('button', { name: 'Dismiss' }).click();

      await page.getByRole('checkbox', { name: 'Select Grace Chosen' }).check();
      await option.check();
      expect(await accessibilityViolations(page)).toEqual([]);
      await page
        .getByRole('group', { name: 'Invite selected by' })
        .getByRole('button', { name: 'Email' })
        .click();
      await expect.poll(() => job.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('finished');
      expect(await job.locator('[data-count="sent"]').textContent()).toBe('1');
      expect(await job.locator('[data-skipped-activated]').count()).toBe(0);
      await expect.poll(async () => (await emailsTo(chosenEmail)).length, { timeout: 20_000 }).toBe(3);
    });
  },
);
