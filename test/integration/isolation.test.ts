import { describe, expect, it } from 'vitest';
import { functions, publicRoutes } from '../../infra/wiring';
import { validSchoolSettings } from '../support/school-settings';
import { apiAs } from './client';
import { fetchJson, useLocalStack } from './support/local-stack';

/**
 * School isolation through the whole stack: a token for one school never sees or changes another
 * school's students, parents, invites, jobs or settings, and answers 404 (not 403) so ids do not leak.
 */

const stack = useLocalStack();
const schoolA = apiAs(stack, 'school-a');
const schoolB = apiAs(stack, 'school-b');

async function seedSchoolA() {
  const student = await schoolA('POST', '/students', {
    first_name: 'Ada',
    last_name: 'Isolated',
    parents_contact: '(202) 555-0161',
    parents_email: 'isolated@example.com',
  });
  expect(student.status).toBe(201);
  await stack().waitForIdle();
  const job = await schoolA('POST', '/invites/bulk', {
    channel: 'email',
    parent_ids: [student.body.parent_id],
  });
  expect(job.status).toBe(202);
  await stack().waitForIdle();
  return {
    studentId: student.body.id as string,
    parentId: student.body.parent_id as string,
    jobId: job.body.job_id as string,
  };
}

describe('school isolation', () => {
  it('answers 404 to another school for every route that names a record, and changes nothing', async () => {
    const a = await seedSchoolA();
    const ids: Record<string, string> = {
      '/students/{id}': a.studentId,
      '/parents/{id}': a.parentId,
      '/parents/{id}/credentials': a.parentId,
      '/parents/{id}/invites': a.parentId,
      '/invites/jobs/{id}': a.jobId,
    };
    const routesWithIds = Object.values(functions)
      .flatMap((wiring) => (wiring.trigger === 'http' ? wiring.routes : []))
      .filter((route) => route.includes('{id}'));
    expect(routesWithIds.length).toBeGreaterThanOrEqual(7);

    for (const route of routesWithIds) {
      const [method, template] = route.split(' ') as [string, string];
      const body =
        method === 'PATCH' ? { grade: '9' } : route.endsWith('/invites') ? { channel: 'email' } : undefined;
      const response = await schoolB(method, template.replace('{id}', ids[template] as string), body);
      expect([route, response.status]).toEqual([route, 404]);
    }

    // The preview names a parent in its body: another school's is unknown there too.
    const preview = await schoolB('POST', '/school/preview', { channel: 'email', parent_id: a.parentId });
    expect([preview.status, JSON.stringify(preview.body)]).toEqual([
      404,
      expect.not.stringContaining('Isolated'),
    ]);
    expect(
      (await schoolA('POST', '/school/preview', { channel: 'email', parent_id: a.parentId })).status,
    ).toBe(200);

    // School A's records are as they were.
    await stack().waitForIdle();
    expect((await schoolA('GET', `/students/${a.studentId}`)).body.grade).toBeNull();
    const parent = await schoolA('GET', `/parents/${a.parentId}`);
    expect(parent.body.invites).toHaveLength(1);
    expect(parent.body.children_count).toBe(1);
  });

  it("lists only the caller school's students and parents", async () => {
    await seedSchoolA();
    for (const path of [
      '/students?limit=100',
      '/parents?limit=100&include_empty=true',
      '/parents?status=invited',
    ]) {
      const listed = await schoolB('GET', path);
      expect([path, listed.status, listed.body.items]).toEqual([path, 200, []]);
      expect((await schoolA('GET', path)).body.items.length).toBeGreaterThan(0);
    }
  });

  it("keeps each school's settings (the routes without an id) to that school", async () => {
    const settingsRoutes = Object.values(functions)
      .flatMap((wiring) => (wiring.trigger === 'http' ? wiring.routes : []))
      .filter((route) => route.endsWith(' /school'));
    expect(settingsRoutes.sort()).toEqual(['GET /school', 'PUT /school']);

    const schoolAs = {
      ...validSchoolSettings,
      name: 'School A',
      country: 'US',
      time_zone: 'America/New_York',
    };
    expect((await schoolA('PUT', '/school', schoolAs)).status).toBe(200);
    const readByB = await schoolB('GET', '/school');
    expect([readByB.status, readByB.body.name, readByB.body.country]).toEqual([200, 'Demo School', 'US']);

    const schoolBs = { ...validSchoolSettings, name: 'School B', country: 'GB', time_zone: 'Europe/London' };
    expect((await schoolB('PUT', '/school', schoolBs)).status).toBe(200);
    expect((await schoolA('GET', '/school')).body).toEqual(schoolAs);
    expect((await schoolB('GET', '/school')).body).toEqual(schoolBs);
  });

  it('refuses every non-public route without a valid token (401), and serves public ones', async () => {
    const routes = Object.values(functions).flatMap((wiring) =>
      wiring.trigger === 'http' ? wiring.routes : [],
    );
    for (const route of routes) {
      const [method, template] = route.split(' ') as [string, string];
      const url = `${stack().url}${template.replace('{id}', 'x')}`;
      const anonymous = await fetchJson(url, {
        method,
        json: method === 'GET' || method === 'DELETE' ? undefined : {},
      });
      const forged = await fetchJson(url, { method, headers: { authorization: 'Bearer not.a.token' } });
      if (publicRoutes.includes(route)) {
        expect([route, anonymous.status]).toEqual([route, 200]);
      } else {
        expect([route, anonymous.status, forged.status]).toEqual([route, 401, 401]);
      }
    }
  });
});
