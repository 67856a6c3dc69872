import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleAdmin } from '../../infra/local/local-stack';
import { apiAs } from '../integration/client';
import { useLocalStack } from '../integration/support/local-stack';
import { accessibilityViolations } from './support/accessibility';
import { hasChromium, launchChromium } from './support/browser';
import { buildConsole } from './support/console-build';

/**
 * The admin console in headless Chromium against the whole local stack, used as an admin would:
 * by labels, roles and clicks, never by calling the API behind the page's back (the API is only
 * used to seed many parents at once).
 */
const admin: ConsoleAdmin = {
  schoolId: 'demo',
  email: 'office@example.com',
  password: 'Console-Test-Pass-1',
};
const failingPhone = '+12025550199';
const bouncingEmail = 'somerville.family@example.com';
const build = hasChromium ? await buildConsole() : undefined;

describe.skipIf(!hasChromium)('admin console (headless Chromium)', () => {
  const stack = useLocalStack({
    consoleBuildDir: build?.dir,
    consoleAdmin: admin,
    failRecipients: [failingPhone],
    deliveryEvents: true,
    deliveryOutcomes: { bounce: [bouncingEmail] },
  });
  const api = apiAs(stack);
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => console.error('page error:', error));
  });
  afterAll(async () => {
    await browser?.close();
    build?.remove();
  });

  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  const goTo = async (section: 'Parents' | 'Students') => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section }).click();
    await page.getByRole('heading', { level: 1, name: section }).waitFor();
  };
  const addStudent = async (fields: Record<string, string>) => {
    await page.getByRole('button', { name: 'Add student' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a student' });
    for (const [label, value] of Object.entries(fields)) await dialog.getByLabel(label).fill(value);
    await dialog.getByRole('button', { name: 'Add student' }).click();
    await dialog.waitFor({ state: 'detached' });
  };

  it('refuses a wrong password, then signs the admin in from the sign-in page', async () => {
    await page.goto(`${stack().url}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('Wrong-Password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect email or password' }).waitFor();

    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Parents' }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain('demo');
  });

  it('adds two siblings and shows one parent with both children', async () => {
    await goTo('Students');
    for (const [first, grade] of [
      ['Ada', '4'],
      ['Byron', '2'],
    ] as const) {
      await addStudent({
        'First name': first,
        'Last name': 'Lovelace',
        Grade: grade,
        "Father's name": 'George Lovelace',
        "Mother's name": 'Anne Lovelace',
        "Parents' phone": '(202) 555-0143',
        "Parents' email": 'Lovelace.Family@example.com',
      });
    }
    await row('Byron Lovelace').waitFor();

    await goTo('Parents');
    const parent = row('George Lovelace');
    // The second child may reach the parent after the page has loaded: the page catches up on its
    // next refresh, within 5 s.
    await expect.poll(() => parent.getByRole('cell').nth(3).textContent(), { timeout: 10_000 }).toBe('2');
    expect(await page.getByRole('row').count()).toBe(2);

    await parent.getByRole('button', { name: 'Details of George Lovelace & Anne Lovelace' }).click();
    const details = page.getByRole('dialog');
    await details.getByRole('cell', { name: 'Ada Lovelace' }).waitFor();
    expect(await details.getByRole('row').filter({ hasText: 'Byron Lovelace' }).textContent()).toContain('2');
    expect(await details.textContent()).toContain('lovelace.family@example.com');
    await details.getByRole('button', { name: 'Close' }).click();
  });

  it('shows the API field errors next to the fields and adds nothing', async () => {
    await goTo('Students');
    await page.getByRole('button', { name: 'Add student' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a student' });
    await dialog.getByLabel('First name').fill('Nobody');
    await dialog.getByLabel('Last name').fill('Wrong');
    await dialog.getByLabel("Parents' email").fill('not-an-email');
    await dialog.getByRole('button', { name: 'Add student' }).click();

    const email = dialog.getByLabel("Parents' email");
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent()).toMatch(/email/i);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await api('GET', '/students')).body.items).toHaveLength(2);
  });

  it('edits and deletes a student', async () => {
    await row('Byron Lovelace').getByRole('button', { name: 'Edit Byron Lovelace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Byron Lovelace' });
    await dialog.getByLabel('Grade').fill('3');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row('Byron Lovelace').getByRole('cell').nth(2).textContent()).toBe('3');

    await addStudent({
      'First name': 'Temporary',
      'Last name': 'Pupil',
      "Parents' email": 'temp@example.com',
    });
    page.once('dialog', (confirm) => void confirm.accept());
    await row('Temporary Pupil').getByRole('button', { name: 'Delete Temporary Pupil' }).click();
    await row('Temporary Pupil').waitFor({ state: 'detached' });
    expect((await api('GET', '/students')).body.items).toHaveLength(2);
  });

  it('invites a parent by email and shows the status turn delivered, as the provider reports', async () => {
    await goTo('Parents');
    const parent = row('George Lovelace');
    await parent.getByRole('button', { name: /^Invite .* by Email$/ }).click();
    await expect.poll(() => parent.locator('.badge').textContent(), { timeout: 20_000 }).toBe('Delivered');
    expect(await parent.textContent()).toMatch(/Email ·/);
    expect(await parent.getByRole('cell').nth(4).textContent()).toMatch(/^demo-/);

    const emails = await stack().outbox.items('email');
    expect(emails.map((email) => email.to)).toContain('lovelace.family@example.com');

    await parent.getByRole('button', { name: /^Details of/ }).click();
    const history = page.getByRole('dialog').getByRole('row').filter({ hasText: 'Email' });
    expect(await history.first().textContent()).toContain('Delivered');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  });

  it('disables channels a parent has no address for, saying why', async () => {
    await goTo('Students');
    await addStudent({
      'First name': 'Mail',
      'Last name': 'Only',
      "Father's name": 'Mo Only',
      "Parents' email": 'mo@example.com',
    });
    await goTo('Parents');
    const parent = row('Mo Only');
    const sms = parent.getByRole('button', { name: /by SMS$/ });
    expect(await sms.isDisabled()).toBe(true);
    expect(await parent.textContent()).toContain('SMS: No phone number');
    expect(await parent.getByRole('button', { name: /by Email$/ }).isDisabled()).toBe(false);
  });

  it('bulk-invites the page by SMS, shows the job to its end and the failure with its reason', async () => {
    await goTo('Students');
    await addStudent({
      'First name': 'Grace',
      'Last name': 'Hopper',
      "Mother's name": 'Mary Hopper',
      "Parents' phone": '+1 202 555 0144',
    });
    await addStudent({
      'First name': 'Alan',
      'Last name': 'Turing',
      "Father's name": 'Julius Turing',
      "Parents' phone": failingPhone,
    });
    await goTo('Parents');
    await page.getByRole('radio', { name: /Not invited/ }).check();
    await row('Julius Turing').waitFor();
    await expect.poll(() => page.getByRole('row').count()).toBe(4);

    await page.getByRole('checkbox', { name: 'Select all parents on this page' }).check();
    await page
      .getByRole('group', { name: 'Invite selected by' })
      .getByRole('button', { name: 'SMS' })
      .click();

    const job = page.getByRole('region', { name: /Bulk invite by SMS/ });
    await expect.poll(() => job.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('finished');
    const count = (name: string) => job.locator(`[data-count="${name}"]`).textContent();
    // Mary Hopper is sent, Julius Turing's number is refused, Mo Only has no phone to send to.
    expect(await count('sent')).toBe('1');
    expect(await count('failed')).toBe('1');
    expect(await count('skipped')).toBe('1');
    expect(await count('queued')).toBe('0');
    // The provider's delivery event for Mary Hopper's SMS reaches the job's progress.
    await expect
      .poll(() => job.locator('[data-delivery]').textContent(), { timeout: 20_000 })
      .toContain('delivered 1');

    await page.getByRole('radio', { name: /Failed/ }).check();
    const failed = row('Julius Turing');
    await failed.waitFor();
    expect(await failed.locator('.badge').textContent()).toBe('Failed');
    expect((await failed.locator('.error-text').textContent())?.length).toBeGreaterThan(0);
    expect(await page.getByRole('row').count()).toBe(2);
  });

  it('searches by name, email and phone', async () => {
    await page.getByRole('radio', { name: /^All/ }).check();
    const search = page.getByLabel('Search');
    for (const [term, expected] of [
      ['hopper', 'Mary Hopper'],
      ['MO@EXAMPLE', 'Mo Only'],
      ['555-0143', 'George Lovelace'],
    ] as const) {
      await search.fill(term);
      await expect.poll(() => page.getByRole('row').count()).toBe(2);
      await row(expected).waitFor();
    }
    await search.fill('');
    await expect.poll(() => page.getByRole('row').count()).toBe(5);
  });

  it('pages through many parents and bulk-invites all of them that match the filter', async () => {
    for (let index = 0; index < 30; index++) {
      const response = await api('POST', '/students', {
        first_name: `Pupil${index}`,
        last_name: 'Many',
        father_name: `Parent ${String(index).padStart(2, '0')}`,
        parents_email: `many${index}@example.com`,
      });
      expect(response.status).toBe(201);
    }
    await stack().waitForStreams();
    await page.reload();
    await page.getByRole('radio', { name: /Not invited/ }).check();
    await expect
      .poll(() =>
        page
          .getByRole('radio', { name: /Not invited/ })
          .evaluate((radio) => radio.parentElement?.textContent),
      )
      .toMatch(/31$/);
    await expect.poll(() => page.getByRole('row').count()).toBe(26);

    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByRole('row').count()).toBe(7);
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => page.getByRole('row').count()).toBe(26);

    await page.getByRole('checkbox', { name: 'Select all parents on this page' }).check();
    await page.getByRole('button', { name: 'Select all 31 parents matching this filter' }).click();
    await page
      .getByRole('group', { name: 'Invite selected by' })
      .getByRole('button', { name: 'Email' })
      .click();
    const job = page.getByRole('region', { name: /Bulk invite by Email/ });
    await expect.poll(() => job.getAttribute('data-job-status'), { timeout: 30_000 }).toBe('finished');
    expect(await job.locator('[data-count="sent"]').textContent()).toBe('31');
    await expect
      .poll(() =>
        page
          .getByRole('radio', { name: /Not invited/ })
          .evaluate((radio) => radio.parentElement?.textContent),
      )
      .toMatch(/0$/);
  });

  it('breaks no WCAG 2.1 A/AA rule axe-core checks, on the list, a dialog and a form with errors', async () => {
    await page.getByRole('radio', { name: /^All/ }).check();
    await row('George Lovelace').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await row('George Lovelace')
      .getByRole('button', { name: /^Details of/ })
      .click();
    await page.getByRole('dialog').getByRole('cell', { name: 'Ada Lovelace' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

    await goTo('Students');
    await page.getByRole('button', { name: 'Add student' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a student' });
    await dialog.getByRole('button', { name: 'Add student' }).click();
    await dialog.getByText('Check the fields marked below.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await goTo('Parents');
  });

  it('fits a phone screen and keeps every control labelled', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('radio', { name: /^All/ }).check();
    await row('George Lovelace').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Bulk selection and every row action stay usable on a phone.
    expect(await page.getByRole('checkbox', { name: 'Select all parents on this page' }).isVisible()).toBe(
      true,
    );
    expect(await page.getByText('Select all on this page').isVisible()).toBe(true);
    const lovelace = row('George Lovelace');
    for (const name of [/^Details of/, /by Email$/, /by SMS$/, /by WhatsApp$/]) {
      expect(await lovelace.getByRole('button', { name }).isVisible()).toBe(true);
    }
    expect(await accessibilityViolations(page)).toEqual([]);
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, button'))
        .filter((control) => {
          const labels = (control as HTMLInputElement).labels;
          const named = control.getAttribute('aria-label') || control.textContent?.trim();
          return !(labels && labels.length > 0) && !named;
        })
        .map((control) => control.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('works from the keyboard: the search is reachable and the details dialog closes on Escape', async () => {
    await page.getByLabel('Search').focus();
    await page.keyboard.type('lovelace');
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await row('George Lovelace')
      .getByRole('button', { name: /^Details of/ })
      .focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('shows a parent created meanwhile without a reload', async () => {
    await page.getByLabel('Search').fill('');
    await row('George Lovelace').waitFor();
    const response = await api('POST', '/students', {
      first_name: 'Late',
      last_name: 'Arrival',
      father_name: 'Lately Added',
      parents_email: 'late@example.com',
    });
    expect(response.status).toBe(201);
    await row('Lately Added').waitFor({ timeout: 15_000 });
  });

  it('shows a bounced address on its row, with the kind of bounce and its reason in the history', async () => {
    await goTo('Students');
    await addStudent({
      'First name': 'Mary',
      'Last name': 'Somerville',
      "Father's name": 'William Somerville',
      "Parents' email": bouncingEmail,
    });
    await goTo('Parents');
    await page.getByLabel('Search').fill('Somerville');
    const parent = row('William Somerville');
    await parent.getByRole('button', { name: /^Invite .* by Email$/ }).click();
    await expect.poll(() => parent.locator('.badge').textContent(), { timeout: 20_000 }).toBe('Bounced');

    await parent.getByRole('button', { name: /^Details of/ }).click();
    const history = page.getByRole('dialog').getByRole('row').filter({ hasText: 'Email' });
    expect(await history.first().textContent()).toMatch(/Bounced.*Permanent bounce/);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

    // The address is suppressed now: another invite to it is refused, saying why and what to do.
    await parent.getByRole('button', { name: /^Re-invite .* by Email$/ }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: "The parent's email address was bounced" })
      .filter({ hasText: "Correct the students' contact details" })
      .waitFor();
  });

  it('signs out back to the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
});
