import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParentsStack } from '../../infra/stack';
import { type FunctionName, functions as wiringTable } from '../../infra/wiring';
import { synthesize } from './synth';

const names = Object.keys(wiringTable) as FunctionName[];

let outdir: string;
let stack: ParentsStack;
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped.
let resources: Record<string, any>;

/** The bundle directory esbuild wrote for one function inside the cloud assembly. */
function bundleDirectory(name: FunctionName): string {
  const fn = stack.functions[name];
  const resource = resources[Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement)];
  return join(outdir, resource.Metadata['aws:asset:path']);
}

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cdk-bundling-'));
  const synthesized = synthesize({ bundle: true, outdir });
  synthesized.app.synth();
  stack = synthesized.stack;
  resources = synthesized.template.toJSON().Resources;
});

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe.each(names)('%s bundle', (name) => {
  it('is a minified ESM module with a source map and the require shim', () => {
    const directory = bundleDirectory(name);
    const code = readFileSync(join(directory, 'index.mjs'), 'utf8');
    expect(existsSync(join(directory, 'index.mjs.map'))).toBe(true);
    expect(code.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
    // Minified output is a few very long lines (unminified code averages well under 100 characters).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
  });

  it('loads in Node.js as ESM with every package bundled, and exports a handler', () => {
    const url = pathToFileURL(join(bundleDirectory(name), 'index.mjs')).href;
    // A fresh process, as on a Lambda cold start: the bundle's top level runs for real. The bundle sits
    // in a temporary directory with no node_modules in reach, so any import left unbundled fails here.
    const output = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(url)}); console.log(typeof m.handler);`,
      ],
      {
        env: {
          PATH: process.env.PATH,
          TABLE_NAME: 'bundling-test',
          AWS_REGION: 'us-east-1',
          NODE_OPTIONS: '--enable-source-maps',
        },
        cwd: outdir,
        encoding: 'utf8',
      },
    );
    expect(output.trim().split('\n').at(-1)).toBe('function');
  });
});
