import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** One WCAG rule broken on the page, with where. */
export interface Violation {
  readonly rule: string;
  readonly impact: string | null | undefined;
  readonly targets: string[];
}

/**
 * Runs axe-core's WCAG 2.1 A and AA rules (contrast, labels, names, landmarks, ...) on what the
 * page shows now. Evaluated through the DevTools protocol, so the page's CSP does not stop it.
 */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const audit = (window as unknown as { axe: typeof axe }).axe;
    const result = await audit.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
}
