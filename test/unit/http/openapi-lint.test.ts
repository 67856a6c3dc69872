import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { functions, parentRoutes, publicRoutes } from '../../../infra/wiring';
import { studentSchemas } from '../../../shared/domain/student-schema';
import { openApiDocument } from '../../../shared/http/openapi';

const document = openApiDocument(studentSchemas('US')) as unknown as {
  paths: Record<string, Record<string, { operationId?: string; security?: unknown[]; responses: object }>>;
};

describe('the OpenAPI document', () => {
  it('has every wired route, each with an operationId; only the public ones need no token, portal ones a parent token', () => {
    const wired = Object.values(functions)
      .flatMap((wiring) => ('routes' in wiring ? wiring.routes : []))
      .filter((routeKey) => routeKey !== 'GET /openapi.json');
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([key]) => key !== 'parameters')
        .map(([method, operation]) => ({ routeKey: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(documented.map((each) => each.routeKey).sort()).toEqual([...wired].sort());
    for (const { routeKey, operation } of documented) {
      expect(operation.operationId, routeKey).toMatch(/^[a-z][A-Za-z]+$/);
      const isPublic = publicRoutes.includes(routeKey);
      const isParent = parentRoutes.includes(routeKey);
      expect(operation.security, routeKey).toEqual(
        isPublic ? [] : isParent ? [{ parentIdToken: [] }] : undefined,
      );
      expect(Object.keys(operation.responses), routeKey).toEqual(
        expect.arrayContaining(isPublic ? ['429', '500'] : ['401', '403', '429', '500']),
      );
    }
  });

  it("is clean under Redocly's recommended ruleset (no error, no warning)", async () => {
    const config = await createConfig({
      extends: ['recommended'],
      // The project has no license yet; naming one here would be a claim nobody has made.
      rules: { 'info-license': 'off' },
    });
    const problems = await lintFromString({
      source: JSON.stringify(openApiDocument(studentSchemas('US'))),
      absoluteRef: 'openapi.json',
      config,
    });
    const described = problems.map(
      (problem) =>
        `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer ?? '?'}`,
    );
    expect(described).toEqual([]);
  });
});
