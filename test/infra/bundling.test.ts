import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../bench/esbuild-options';
import { repositoryRoot } from '../../infra/local/handlers';
import type { ParentsStack } from '../../infra/stack';
import { type FunctionName, functions as wiringTable } from '../../infra/wiring';
import { synthesize } from './synth';

const names = Object.keys(wiringTable) as FunctionName[];

let outdir: string;
let stack: ParentsStack;
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped.
let resources: Record<string, any>;

function functionResource(name: FunctionName) {
  const fn = stack.functions[name];
  return resources[Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement)];
}

/** The bundle directory esbuild wrote for one function inside the cloud assembly. */
function bundleDirectory(name: FunctionName): string {
  return join(outdir, functionResource(name).Metadata['aws:asset:path']);
}

/** Stand-ins for values CloudFormation fills in at deploy time, shaped like the real ones. */
const deployTimeValues: Record<string, string> = {
  TABLE_NAME: 'bundling-test',
  PARENT_USER_POOL_ID: 'us-east-1_BundlingT',
  INVITES_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/invites',
  FANOUT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/invite-fanout',
  SES_CONFIGURATION_SET: 'bundling-test',
  SMS_CONFIGURATION_SET: 'bundling-test',
  // The default portal address is the stack's own console distribution's.
  PORTAL_URL: 'https://d1234abcd.cloudfront.net/portal/index.html',
};

/** The function's environment as deployed, so module-scope configuration checks run for real. */
function deployedEnvironment(name: FunctionName): Record<string, string> {
  const variables: Record<string, unknown> = functionResource(name).Properties.Environment.Variables;
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => {
      if (typeof value === 'string') return [key, value];
      const standIn = deployTimeValues[key];
      if (standIn === undefined) throw new Error(`No stand-in for deploy-time variable ${key} of ${name}`);
      return [key, standIn];
    }),
  );
}

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cdk-bundling-'));
  const synthesized = synthesize({ bundle: true, outdir });
  synthesized.app.synth();
  stack = synthesized.stack;
  resources = synthesized.template.toJSON().Resources;
  // esbuild runs once per function; with every function of the wiring that outgrows the default 10 s.
}, 120_000);

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
          AWS_REGION: 'us-east-1',
          ...deployedEnvironment(name),
        },
        cwd: outdir,
        encoding: 'utf8',
      },
    );
    expect(output.trim().split('\n').at(-1)).toBe('function');
  });

  it('is byte for byte what the benchmark builds, so its sizes and start-up times are the deployed ones', async () => {
    const benchDirectory = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
    try {
      const outfile = join(benchDirectory, 'index.mjs');
      await build({
        ...esbuildOptions(join(repositoryRoot, wiringTable[name].entry), outfile),
        logLevel: 'silent',
      });
      expect(readFileSync(outfile).equals(readFileSync(join(bundleDirectory(name), 'index.mjs')))).toBe(true);
    } finally {
      rmSync(benchDirectory, { recursive: true, force: true });
    }
  });
});

describe('admin console build', () => {
  it("is Vite's build of the console: a page whose hashed assets are staged with it", () => {
    // Both console deployments upload the same build; the page's deployment also carries config.json.
    const deployment = Object.values(resources).find(
      (resource) => resource.Type === 'Custom::CDKBucketDeployment' && !resource.Properties.DistributionId,
    );
    const [key] = deployment?.Properties.SourceObjectKeys ?? [];
    const directory = join(outdir, `asset.${String(key).replace(/\.zip$/, '')}`);
    const page = readFileSync(join(directory, 'index.html'), 'utf8');
    const referenced = [...page.matchAll(/(?:src|href)="(?:\.?\/)?(assets\/[^"]+)"/g)].map(
      (match) => match[1] ?? '',
    );
    expect(referenced.some((file) => file.endsWith('.js'))).toBe(true);
    for (const file of referenced) expect(existsSync(join(directory, file)), file).toBe(true);
    // The build, not the sources.
    expect(readdirSync(directory)).not.toContain('src');
    expect(readdirSync(directory)).not.toContain('vite.config.ts');
  });
});
