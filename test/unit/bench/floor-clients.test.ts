import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { floorClients } from '../../../bench/bundles';

describe("the bench's floor handlers", () => {
  it('know every AWS client package the functions may use, so a new client cannot break npm run bench', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const clientPackages = Object.keys(manifest.dependencies).filter(
      (name) => name.startsWith('@aws-sdk/client-') || name === '@aws-sdk/lib-dynamodb',
    );
    expect(clientPackages.length).toBeGreaterThan(0);
    expect(clientPackages.filter((name) => !(name in floorClients))).toEqual([]);
  });
});
