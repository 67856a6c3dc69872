import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleAdmin } from '../../infra/local/local-stack';
import { smsParts } from '../../shared/domain/sms-parts';
import { apiAs } from '../integration/client';
import { useLocalStack } from '../integration/support/local-stack';
import { accessibilityViolations } from './support/accessibility';
import { hasChromium, launchChromium } from './support/browser';
import { buildConsole } from './support/console-build';

/**
 * The console's Settings page in headless Chromium against the whole local stack: the school's
 * settings edited and saved, refused fields shown where they are, invites previewed, and phone
 * numbers written as the school's country writes them. Driven by labels and roles; the API is
 * used only to seed a parent and to check what was (or was not) saved.
 */
const admin: ConsoleAdmin = {
  schoolId: 'demo',
  email: 'settings@example.com',
  password: 'Console-Test-Pass-2',
};
const mexicanPhone = '+525512345678';
/** For what follows an API answer: this machine may be busy, and a second is not always enough. */
const settles = { timeout: 10_000 };
const build = hasChromium ? await buildConsole() : undefined;

describe.skipIf(!hasChromium)('the Settings page of the admin console (headless Chromium)', () => {
  const stack = useLocalStack({ consoleBuildDir: build?.dir, consoleAdmin: admin });
  const api = apiAs(stack);
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => console.error('page error:', error));

    const seeded = await api('POST', '/students', {
      first_name: 'Lucía',
      last_name: 'Pérez',
      father_name: 'Juan Pérez',
      parents_contact: mexicanPhone,
      parents_email: 'perez@example.com',
      parents_language: 'es',
    });
    expect(seeded.status).toBe(201);
    await stack().waitForStreams();
  });
  afterAll(async () => {
    await browser?.close();
    build?.remove();
  });

  const goTo = async (section: 'Parents' | 'Students' | 'Settings') => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section }).click();
    await page.getByRole('heading', { level: 1, name: section }).waitFor();
  };
  const settingsForm = () => page.getByRole('form', { name: 'School settings' });
  const save = () => settingsForm().getByRole('button', { name: 'Save settings' }).click();
  const previewPanel = () => page.getByRole('region', { name: 'Preview an invite' });
  const preview = async (channel: string, language: string) => {
    const panel = previewPanel();
    await panel.getByLabel('Channel').selectOption({ label: channel });
    await panel.getByLabel('Language (optional)').fill(language);
    await panel.getByRole('button', { name: 'Preview', exact: true }).click();
  };
  const parentRow = (text: string) => page.getByRole('row').filter({ hasText: text });

  it('signs in and opens the Settings page from the navigation, showing the school as it is', async () => {
    await page.goto(`${stack().url}/`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Parents' }).waitFor();
    // Before the school names its country, numbers are those of the deployment's (US): this one is foreign.
    await expect
      .poll(() => parentRow('Juan Pérez').getByRole('link').textContent(), settles)
      .toBe('+52 55 1234 5678');

    await goTo('Settings');
    // The title follows the view in an effect, just after the heading is drawn.
    await expect.poll(() => page.title(), settles).toBe('Settings · School admin');
    const form = settingsForm();
    expect(await form.getByLabel('School name').inputValue()).toBe('Demo School');
    expect(await form.getByLabel('Country').inputValue()).toBe('US');
    expect(await form.getByText('All changes saved').isVisible()).toBe(true);
  });

  it('saves a new name, country and time zone, and announces it', async () => {
    const form = settingsForm();
    await form.getByLabel('School name').fill('Colegio Hidalgo');
    await form.getByLabel('Country').selectOption({ label: 'Mexico (MX)' });
    await form.getByLabel('Time zone').fill('America/Mexico_City');
    expect(await form.getByText('Unsaved changes').isVisible()).toBe(true);
    await save();

    await page.getByRole('status').filter({ hasText: 'The settings were saved.' }).waitFor();
    await form.getByText('All changes saved').waitFor();
    const saved = (await api('GET', '/school')).body;
    expect(saved).toMatchObject({ name: 'Colegio Hidalgo', country: 'MX', time_zone: 'America/Mexico_City' });
  });

  it('writes phone numbers as the school does: nationally for its country, keeping E.164 in the link', async () => {
    await goTo('Parents');
    const number = parentRow('Juan Pérez').getByRole('link', { name: '55 1234 5678' });
    expect(await number.getAttribute('href')).toBe(`tel:${mexicanPhone}`);
    expect(await number.getAttribute('title')).toBe(mexicanPhone);

    await parentRow('Juan Pérez')
      .getByRole('button', { name: /^Details of/ })
      .click();
    const details = page.getByRole('dialog');
    await details.getByRole('link', { name: '55 1234 5678' }).waitFor();
    expect(await details.textContent()).toContain('Spanish (es)');
    await details.getByRole('button', { name: 'Close' }).click();

    await goTo('Students');
    expect(await parentRow('Lucía Pérez').getByRole('link').textContent()).toBe('55 1234 5678');
  });

  it("offers the parents' language in the student form, and shows it in the parent's details", async () => {
    await page.getByRole('button', { name: 'Add student' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a student' });
    await dialog.getByLabel('First name').fill('Amélie');
    await dialog.getByLabel('Last name').fill('Martin');
    await dialog.getByLabel("Father's name").fill('Paul Martin');
    // With its country code: the students API may still hold the old country for up to 30 s.
    await dialog.getByLabel("Parents' phone").fill('+52 55 8765 4321');
    await dialog.getByLabel("Parents' language").fill('fr');
    await dialog.getByRole('button', { name: 'Add student' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await parentRow('Amélie Martin').getByRole('link').getAttribute('href')).toBe('tel:+525587654321');

    await goTo('Parents');
    await parentRow('Paul Martin')
      .getByRole('button', { name: /^Details of/ })
      .click();
    const details = page.getByRole('dialog');
    await details.getByText('French (fr)').waitFor();
    await details.getByRole('button', { name: 'Close' }).click();
  });

  it('shows a refused field next to itself, lists it, and saves nothing of the form', async () => {
    await goTo('Settings');
    const form = settingsForm();
    await form.getByLabel('School name').fill('Half Saved School');
    const portal = form.getByLabel('Parent portal address');
    await portal.fill('http://parents.example.com');
    await save();

    await expect.poll(() => portal.getAttribute('aria-invalid'), settles).toBe('true');
    const describedBy = ((await portal.getAttribute('aria-describedby')) ?? '').split(' ');
    const messages = await Promise.all(describedBy.map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(' ')).toContain('Must be an https URL');
    expect(await portal.evaluate((input) => input === document.activeElement)).toBe(true);
    const summary = page.getByRole('alert').filter({ hasText: 'The settings were not saved' });
    expect(await summary.textContent()).toContain('Parent portal address');
    expect(await accessibilityViolations(page)).toEqual([]);

    expect((await api('GET', '/school')).body).toMatchObject({
      name: 'Colegio Hidalgo',
      portal_url: 'https://parents.example.com',
    });
    await form.getByRole('button', { name: 'Discard changes' }).click();
    expect(await form.getByLabel('School name').inputValue()).toBe('Colegio Hidalgo');
    expect(await portal.getAttribute('aria-invalid')).toBe(null);
  });

  it('previews an SMS in Spanish: its text with line breaks, and its parts and encoding', async () => {
    await preview('SMS', 'es');
    const panel = previewPanel();
    const body = panel.locator('[data-preview="body"]');
    await body.waitFor();
    const text = (await body.textContent()) ?? '';
    expect(text).toContain('Portal de familias de Colegio Hidalgo');
    expect(text.split('\n')).toContainEqual(expect.stringMatching(/^Usuario: demo-/));
    expect(await body.getAttribute('dir')).toBe('auto');
    // Its lines show as lines.
    expect(await body.evaluate((element) => getComputedStyle(element).whiteSpace)).toBe('pre-wrap');

    const { parts, encoding } = smsParts(text);
    const size = `${parts} SMS part${parts === 1 ? '' : 's'}, ${encoding}`;
    expect(encoding).toBe('GSM-7');
    expect(await panel.locator('[data-preview="parts"]').textContent()).toBe(size);
    expect(await panel.getByRole('status').textContent()).toBe(`SMS in Spanish (es): ${size}`);
    expect(await panel.textContent()).toContain('The password shown is a sample');
  });

  it("writes the school's own SMS template in Spanish, refused without the username, then previewed", async () => {
    const form = settingsForm();
    const wording = form.getByRole('group', { name: 'Invite wording' });
    await wording.getByLabel('Channel').selectOption({ label: 'SMS' });
    await wording.getByLabel('Language', { exact: true }).selectOption({ label: 'Spanish (es)' });
    expect(await wording.textContent()).toContain(
      'The school has no SMS template in Spanish (es): invites in it use the built-in wording.',
    );
    await wording
      .getByRole('button', { name: 'Write the school’s own SMS template in Spanish (es)' })
      .click();

    const body = wording.getByLabel('Body');
    expect(await body.inputValue()).toContain('Usuario: {{username}}');
    await body.fill('{{school_name}}: {{portal_url}}\nClave: {{temporary_password}}');
    // The preview would show the saved wording, not this one: it waits for a save.
    const previewButton = previewPanel().getByRole('button', { name: 'Preview', exact: true });
    expect(await previewButton.isDisabled()).toBe(true);
    expect(await previewPanel().textContent()).toContain('Save your changes to preview them');

    await save();
    await expect.poll(() => body.getAttribute('aria-invalid'), settles).toBe('true');
    const errorId = ((await body.getAttribute('aria-describedby')) ?? '').split(' ').at(-1);
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toContain('Must contain {{username}}');
    expect((await api('GET', '/school')).body.templates).toEqual({});

    await body.fill(
      'Hola de {{school_name}}: {{portal_url}}\nUsuario: {{username}}\nClave: {{temporary_password}}',
    );
    await save();
    await form.getByText('All changes saved').waitFor();
    expect((await api('GET', '/school')).body.templates.sms.es.body).toContain('Hola de');

    await preview('SMS', 'es');
    await expect
      .poll(() => previewPanel().locator('[data-preview="body"]').textContent(), settles)
      .toMatch(/^Hola de Colegio Hidalgo: https:\/\/parents\.example\.com\nUsuario: demo-\S+\nClave: \S+$/);
  });

  it("previews a parent's email in their language: the subject and the HTML in a sandbox", async () => {
    const panel = previewPanel();
    await panel.getByLabel('Find a parent').fill('Pérez');
    const parent = panel.getByLabel('Parent', { exact: true });
    await expect
      .poll(() => parent.locator('option').allTextContents(), settles)
      .toContain('Juan Pérez · perez@example.com');
    await parent.selectOption({ label: 'Juan Pérez · perez@example.com' });
    await preview('Email', '');

    await panel.locator('[data-preview="subject"]').waitFor();
    expect(await panel.locator('[data-preview="subject"]').textContent()).toBe(
      'Su cuenta del portal de familias de Colegio Hidalgo',
    );
    const frame = panel.locator('iframe');
    // Sandboxed with nothing allowed: no scripts, no same-origin access, no navigation of the console.
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toContain('<strong>');
    const html = page.frameLocator('iframe[title="The email as parents see it"]');
    await html.getByText('Hola, Juan Pérez:').waitFor();
    expect(await html.locator('strong').first().textContent()).toMatch(/^demo-/);
    // The console's policy lets the email's own inline style through (by its hash), nothing else.
    expect(await html.locator('body').evaluate((body) => getComputedStyle(body).fontFamily)).toBe(
      'sans-serif',
    );
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('keeps Arabic right to left in the text preview', async () => {
    await previewPanel()
      .getByLabel('Parent', { exact: true })
      .selectOption({ label: 'A sample parent (invented names)' });
    await preview('Email', 'ar');
    const body = previewPanel().locator('[data-preview="body"]');
    await expect.poll(() => body.textContent(), settles).toContain('مرحبًا');
    expect(await body.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');
  });

  it('breaks no WCAG 2.1 A/AA rule axe-core checks on the Settings page', async () => {
    await goTo('Parents');
    await goTo('Settings');
    await settingsForm().getByLabel('School name').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await preview('SMS', 'fr');
    await previewPanel().locator('[data-preview="body"]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    for (const label of ['School name', 'Country', 'Time zone', 'Parent portal address']) {
      expect(await settingsForm().getByLabel(label, { exact: true }).isVisible()).toBe(true);
    }
    expect(await settingsForm().getByRole('button', { name: 'Save settings' }).isVisible()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
