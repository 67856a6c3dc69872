import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const folders = [
  'docs',
  'functions',
  'shared',
  'infra',
  'packages',
  'console/src',
  'bench',
  'scripts',
  'test',
];
const topFiles = ['README.md', 'RELIABILITY.md', 'BENCHMARKS.md'];

function filesUnder(folder: string): string[] {
  return readdirSync(join(root, folder)).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = join(folder, name);
    if (statSync(join(root, path)).isDirectory()) return filesUnder(path);
    return /\.(md|ts|tsx)$/.test(name) ? [path] : [];
  });
}

/** A design document or a folder beside the repository, which a reader of the repository lacks. */
const outsideReference = /DESIGN(\.md| §)|\]\(\.\.\//;

describe('the documentation and code comments', () => {
  it('send no reader to a document outside the repository', () => {
    const files = [...topFiles, ...folders.flatMap(filesUnder)];
    const offending = files.flatMap((file) =>
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .map((line, index) => ({ line, where: `${relative(root, join(root, file))}:${index + 1}` }))
        .filter(({ line }) => outsideReference.test(line))
        .map(({ where, line }) => `${where}: ${line.trim()}`),
    );
    expect(files.length).toBeGreaterThan(100);
    expect(offending).toEqual([]);
  });
});
