import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { lambdaBundling, lambdaRuntime } from '../infra/constructs/function-with-log-group';

/** The `NodejsFunction` bundling options `FunctionWithLogGroup` sets (a variant may change them). */
export interface LambdaBundling {
  readonly format?: OutputFormat;
  readonly banner?: string;
  readonly mainFields?: readonly string[];
  readonly minify?: boolean;
  readonly sourceMap?: boolean;
  readonly bundleAwsSDK?: boolean;
  readonly externalModules?: readonly string[];
}

/**
 * The esbuild options CDK's `NodejsFunction` turns `bundling` into when it bundles locally (its
 * `Bundling.buildEsbuildArgs`): `--bundle --target=node22 --platform=node --format=esm --minify
 * --sourcemap --external:… --banner:js=… --main-fields=…`. A test compares the output with CDK's
 * asset byte for byte, so a bundling change that this mapping misses fails there.
 */
export function esbuildOptions(
  entry: string,
  outfile: string,
  bundling: LambdaBundling = lambdaBundling,
): BuildOptions & { outfile: string } {
  // CDK leaves the SDK out unless told to bundle it (the Node.js runtime ships SDK v3).
  const externals = bundling.externalModules ?? (bundling.bundleAwsSDK ? [] : ['@aws-sdk/*']);
  return {
    entryPoints: [entry],
    bundle: true,
    target: lambdaRuntime.name.replace(/^nodejs(\d+).*$/, 'node$1'),
    platform: 'node',
    format: bundling.format === OutputFormat.CJS ? 'cjs' : 'esm',
    outfile,
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    external: [...externals],
    banner: bundling.banner === undefined ? undefined : { js: bundling.banner },
    mainFields: bundling.mainFields === undefined ? undefined : [...bundling.mainFields],
    logLevel: 'warning',
  };
}
