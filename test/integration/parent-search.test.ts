import { describe, expect, it } from 'vitest';
import { parentCountsResponse, parentPage } from '../../shared/http/api-schemas';
import { apiAs } from './client';
import { useLocalStack } from './support/local-stack';

/**
 * What the console's search box and status counts stand on: `GET /parents?q=` and
 * `GET /parents/counts?q=`, against DynamoDB Local.
 */
describe('parent search and counts', () => {
  const stack = useLocalStack();
  const api = apiAs(stack);
  const otherSchool = apiAs(stack, 'other');

  const seed = async () => {
    const students = [
      {
        first_name: 'Ana',
        father_name: 'José Álvarez',
        parents_contact: '+34 612 345 678',
        parents_email: 'alvarez@example.com',
      },
      {
        first_name: 'Ben',
        mother_name: 'Nora Quist',
        parents_contact: '(202) 555-0143',
        parents_email: 'Quist.Home@Example.com',
      },
      { first_name: 'Cy', father_name: 'Carl Quist', parents_email: 'carl@example.org' },
      ...Array.from({ length: 7 }, (_, index) => ({
        first_name: `Many${index}`,
        father_name: `Common Name ${index}`,
        parents_email: `common${index}@example.net`,
      })),
    ];
    for (const student of students) {
      expect((await api('POST', '/students', { last_name: 'Family', ...student })).status).toBe(201);
    }
    expect(
      (
        await otherSchool('POST', '/students', {
          first_name: 'Zed',
          last_name: 'Quist',
          father_name: 'Other Quist',
          parents_email: 'z@example.com',
        })
      ).status,
    ).toBe(201);
    await stack().waitForStreams();
  };

  const search = async (q: string, extra = '') => {
    const response = await api('GET', `/parents?q=${encodeURIComponent(q)}${extra}`);
    expect(response.status).toBe(200);
    return parentPage.parse(response.body);
  };
  const names = (page: { items: { father_name: string | null; mother_name: string | null }[] }) =>
    page.items.map((parent) => parent.father_name ?? parent.mother_name).sort();

  it('finds parents by name ignoring case and accents, by email, and by phone digits', async () => {
    await seed();
    expect(names(await search('jose alvarez'))).toEqual(['José Álvarez']);
    expect(names(await search('QUIST'))).toEqual(['Carl Quist', 'Nora Quist']);
    expect(names(await search('quist.home@'))).toEqual(['Nora Quist']);
    expect(names(await search('555-0143'))).toEqual(['Nora Quist']);
    expect(names(await search('+34 612'))).toEqual(['José Álvarez']);
    expect((await search('nobody-matches')).items).toEqual([]);
  });

  it('combines the search with the status filter', async () => {
    const [carl] = (await search('carl')).items;
    expect((await api('POST', `/parents/${carl?.id}/invites`, { channel: 'email' })).status).toBe(202);
    // The invite reaches the queue through the table's stream, then the sender.
    await stack().waitForIdle();
    expect(names(await search('quist', '&status=invited'))).toEqual(['Carl Quist']);
    expect(names(await search('quist', '&status=not_invited'))).toEqual(['Nora Quist']);
  });

  it('pages through search results without losing or repeating any', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { father_name: string | null }[]; next_cursor: string | null } = await search(
        'common name',
        `&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((parent) => parent.father_name ?? ''));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, index) => `Common Name ${index}`));
  });

  it('counts parents per invite status, with and without a search, within the school', async () => {
    // This file's stack has the providers' delivery events off: accepted invites stay invited.
    const noDeliveries = { delivered: 0, bounced: 0, complained: 0, undeliverable: 0 };
    const all = parentCountsResponse.parse((await api('GET', '/parents/counts')).body);
    expect(all).toEqual({
      total: 10,
      by_status: { ...noDeliveries, not_invited: 9, queued: 0, invited: 1, failed: 0 },
      by_activation: { activated: 0, not_activated: 1 },
    });
    const quist = parentCountsResponse.parse((await api('GET', '/parents/counts?q=quist')).body);
    expect(quist).toEqual({
      total: 2,
      by_status: { ...noDeliveries, not_invited: 1, queued: 0, invited: 1, failed: 0 },
      by_activation: { activated: 0, not_activated: 1 },
    });
    const other = parentCountsResponse.parse((await otherSchool('GET', '/parents/counts?q=quist')).body);
    expect(other.total).toBe(1);
  });

  it('refuses a search over 100 characters, naming the parameter', async () => {
    for (const path of ['/parents', '/parents/counts']) {
      const response = await api('GET', `${path}?q=${'x'.repeat(101)}`);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'q' })]);
    }
  });
});
