import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson, useLocalStack } from '../integration/support/local-stack';
import { hasChromium, launchChromium } from './support/browser';

/** The API reference page of `npm start` in headless Chromium: Redoc rendering the API's own document. */
describe.skipIf(!hasChromium)('API reference page (headless Chromium)', () => {
  const stack = useLocalStack();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('serves, without a token, the very document the API serves at /openapi.json', async () => {
    const token = await stack().staffToken('demo');
    const api = await fetchJson(`${stack().url}/openapi.json`, { token });
    const page = await fetchJson(`${stack().url}/docs/openapi.json`);

    expect(api.status).toBe(200);
    expect(page.status).toBe(200);
    expect(page.body).toEqual(api.body);
  });

  it('renders every operation of the document, by its summary', async () => {
    const document = (
      await fetchJson<{ paths: Record<string, Record<string, { summary: string }>> }>(
        `${stack().url}/docs/openapi.json`,
      )
    ).body;
    const methods = new Set(['get', 'put', 'post', 'delete', 'patch']);
    const summaries = Object.values(document.paths).flatMap((item) =>
      Object.entries(item).flatMap(([key, operation]) => (methods.has(key) ? [operation.summary] : [])),
    );
    const page = await browser.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));

    await page.goto(`${stack().url}/docs`);
    await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 30_000 });
    const text = (await page.locator('body').textContent()) ?? '';

    expect(summaries.length).toBeGreaterThan(10);
    expect(summaries.filter((summary) => !text.includes(summary))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
