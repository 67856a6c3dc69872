import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parentPage } from '../../shared/http/api-schemas';
import { apiAs } from '../integration/client';
import { useLocalStack } from '../integration/support/local-stack';
import { accessibilityViolations } from './support/accessibility';
import { hasChromium, launchChromium } from './support/browser';
import { buildConsole } from './support/console-build';

/**
 * The parent portal (`/portal/`) in headless Chromium at phone width, end to end on the local
 * stack: an admin invites a parent by email, the parent reads the username and temporary password
 * from the local outbox, signs in, chooses a password and sees their children; the admin then sees
 * the parent activated, and a re-invite refused.
 */
const build = hasChromium ? await buildConsole() : undefined;

describe.skipIf(!hasChromium)('parent portal (headless Chromium, phone width)', () => {
  const stack = useLocalStack({ consoleBuildDir: build?.dir });
  const api = apiAs(stack);
  let browser: Browser;
  let page: Page;
  let parentId = '';
  let username = '';
  let temporary = '';

  beforeAll(async () => {
    browser = await launchChromium();
    // An ordinary phone: 390 × 844 CSS pixels.
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => console.error('page error:', error));

    for (const [first_name, grade] of [
      ['Ada', '4'],
      ['Byron', '2'],
    ] as const) {
      const created = await api('POST', '/students', {
        first_name,
        last_name: 'Lovelace',
        grade,
        mother_name: 'Anne Lovelace',
        parents_email: 'portal.family@example.com',
      });
      expect(created.status).toBe(201);
      parentId = created.body.parent_id;
    }
    await stack().waitForIdle();
    expect((await api('POST', `/parents/${parentId}/invites`, { channel: 'email' })).status).toBe(202);
    await stack().waitForIdle();
    const outbox = await fetch(`${stack().url}/_local/outbox?channel=email`).then(
      (response) => response.json() as Promise<{ items: { to: string; body: string }[] }>,
    );
    const email = outbox.items.find((item) => item.to === 'portal.family@example.com');
    username = /^Username: (.+)$/m.exec(email?.body ?? '')?.[1] ?? '';
    temporary = /^Temporary password: (.+)$/m.exec(email?.body ?? '')?.[1] ?? '';
    expect(username).not.toBe('');
  });
  afterAll(async () => {
    await browser?.close();
    build?.remove();
  });

  it('refuses a wrong password with a clear message, on an accessible page that fits a phone', async () => {
    await page.goto(`${stack().url}/portal/`);
    await page.getByRole('heading', { level: 1, name: 'Parent portal' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('Not-The-Password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect username or password' }).waitFor();
  });

  it('asks for a new password with the policy shown, and says what a weak or mistyped one lacks', async () => {
    await page.getByLabel('Password').fill(temporary);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor();
    const rules = page.getByRole('list', { name: 'Password rules' });
    expect(await rules.textContent()).toContain('At least 12 characters');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Type it again').fill('short');
    await page.getByRole('button', { name: 'Save password and continue' }).click();
    await page.getByRole('alert').filter({ hasText: 'still needs: at least 12 characters' }).waitFor();

    await page.getByLabel('New password', { exact: true }).fill('Family-Passw0rd!');
    await page.getByLabel('Type it again').fill('Family-Passw0rd?');
    await page.getByRole('button', { name: 'Save password and continue' }).click();
    await page.getByRole('alert').filter({ hasText: 'not the same' }).waitFor();
  });

  it("sets the parent's own password and shows their children with grades", async () => {
    await page.getByLabel('Type it again').fill('Family-Passw0rd!');
    await page.getByRole('button', { name: 'Save password and continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your children' }).waitFor();
    const children = await page.getByRole('listitem').allTextContents();
    expect(children.sort()).toEqual(['Ada LovelaceGrade 4', 'Byron LovelaceGrade 2']);
    expect(await page.getByRole('main').textContent()).toContain('Anne Lovelace');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('shows the parent activated to the admin, and refuses a re-invite that would reset the password', async () => {
    const activated = parentPage.parse((await api('GET', '/parents?status=activated')).body);
    expect(activated.items.map((item) => item.id)).toEqual([parentId]);
    expect(activated.items[0]?.activated_at).toEqual(expect.any(String));
    const reinvite = await api('POST', `/parents/${parentId}/invites`, { channel: 'email' });
    expect(reinvite.status).toBe(409);

    // The chosen password signs in again, straight to the children.
    await page.goto(`${stack().url}/portal/`);
    await page.getByLabel('Username').fill(username.toUpperCase());
    await page.getByLabel('Password').fill('Family-Passw0rd!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your children' }).waitFor();
  });
});
