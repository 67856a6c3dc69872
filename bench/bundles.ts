import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { repositoryRoot } from '../infra/local/handlers';
import { type FunctionName, functions } from '../infra/wiring';
import { esbuildOptions, type LambdaBundling } from './esbuild-options';

/** One function's bundle next to its floor: a handler that only creates the same AWS clients. */
export interface FunctionBundle {
  readonly name: FunctionName;
  /** The bundle's `index.mjs`. */
  readonly file: string;
  readonly bytes: number;
  /** The SDK client packages the bundle contains, e.g. `@aws-sdk/client-sqs`. */
  readonly clientPackages: readonly string[];
  readonly floor: { readonly file: string; readonly bytes: number };
}

/**
 * How a floor handler creates each client package's client: the least code that pulls the client
 * into a bundle and builds it once at module scope, as every real handler does.
 */
export const floorClients: Readonly<Record<string, { readonly imports: string; readonly create: string }>> = {
  '@aws-sdk/client-dynamodb': {
    imports: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    create: 'new DynamoDBClient({})',
  },
  '@aws-sdk/lib-dynamodb': {
    imports:
      "import { DynamoDBClient as DocumentsBase } from '@aws-sdk/client-dynamodb';\n" +
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    create: 'DynamoDBDocumentClient.from(new DocumentsBase({}))',
  },
  '@aws-sdk/client-sqs': {
    imports: "import { SQSClient } from '@aws-sdk/client-sqs';",
    create: 'new SQSClient({})',
  },
  '@aws-sdk/client-sesv2': {
    imports: "import { SESv2Client } from '@aws-sdk/client-sesv2';",
    create: 'new SESv2Client({})',
  },
  '@aws-sdk/client-sns': {
    imports: "import { SNSClient } from '@aws-sdk/client-sns';",
    create: 'new SNSClient({})',
  },
  '@aws-sdk/client-pinpoint-sms-voice-v2': {
    imports: "import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';",
    create: 'new PinpointSMSVoiceV2Client({})',
  },
  '@aws-sdk/client-socialmessaging': {
    imports: "import { SocialMessagingClient } from '@aws-sdk/client-socialmessaging';",
    create: 'new SocialMessagingClient({})',
  },
  '@aws-sdk/client-cognito-identity-provider': {
    imports: "import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';",
    create: 'new CognitoIdentityProviderClient({})',
  },
};

/**
 * What a function returns as it is, which no bundle of it can leave out: its floor carries it too.
 * The OpenAPI document's function has no AWS client, and a floor without the document would be an
 * empty handler, next to which any function that serves it looks hundreds of times too big.
 */
export const floorPayloads: Readonly<Partial<Record<FunctionName, string>>> = {
  'openapi-document': 'shared/http/openapi.json',
};

/** Where bundles go: under node_modules, so an SDK left external resolves as it would in a package. */
export const defaultBundleDirectory = join(
  repositoryRoot,
  'node_modules',
  '.cache',
  'parent-management-bench',
);

/**
 * Bundles every wired function exactly as CDK does (see `esbuildOptions`) and, for each, a floor
 * handler with the same AWS clients (and its `floorPayloads` entry) and nothing else, bundled the
 * same way.
 */
export async function buildBundles(
  outDir: string = defaultBundleDirectory,
  bundling?: LambdaBundling,
): Promise<FunctionBundle[]> {
  const built: FunctionBundle[] = [];
  for (const [name, wiring] of Object.entries(functions) as [
    FunctionName,
    (typeof functions)[FunctionName],
  ][]) {
    const directory = join(outDir, name);
    const main = await bundle(resolve(repositoryRoot, wiring.entry), join(directory, 'index.mjs'), bundling);
    const clientPackages = sdkClientPackages(main.metafile);
    const floorSource = join(directory, 'floor', 'handler.ts');
    mkdirSync(join(directory, 'floor'), { recursive: true });
    writeFileSync(floorSource, floorHandler(name, clientPackages, floorPayloads[name]));
    const floor = await bundle(floorSource, join(directory, 'floor', 'index.mjs'), bundling);
    built.push({
      name,
      file: main.file,
      bytes: main.bytes,
      clientPackages,
      floor: { file: floor.file, bytes: floor.bytes },
    });
  }
  return built;
}

async function bundle(
  entry: string,
  outfile: string,
  bundling: LambdaBundling | undefined,
): Promise<{ file: string; bytes: number; metafile: Metafile }> {
  const result = await build({
    ...esbuildOptions(entry, outfile, bundling),
    metafile: true,
    absWorkingDir: repositoryRoot,
  });
  const key = relative(repositoryRoot, outfile).split('\\').join('/');
  const output = result.metafile.outputs[key];
  if (!output) throw new Error(`esbuild wrote no ${key}`);
  return { file: outfile, bytes: output.bytes, metafile: result.metafile };
}

/** The client packages whose code ended up in the bundle (an external SDK counts as used too). */
function sdkClientPackages(metafile: Metafile): string[] {
  const packages = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/(@aws-sdk\/(?:client-[^/]+|lib-dynamodb))\//.exec(input);
    if (match?.[1]) packages.add(match[1]);
  }
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && imported.path in floorClients) packages.add(imported.path);
    }
  }
  return [...packages].sort();
}

function floorHandler(name: string, clientPackages: readonly string[], payload: string | undefined): string {
  const clients = clientPackages.map((name) => {
    const client = floorClients[name];
    if (!client) throw new Error(`No floor client for ${name}: add it to floorClients in bench/bundles.ts`);
    return client;
  });
  const payloadFile = payload === undefined ? undefined : resolve(repositoryRoot, payload);
  return [
    `// Floor of ${name}: its AWS clients, built once at module scope, and nothing else. Generated by the benchmark.`,
    ...clients.map((client) => client.imports),
    ...(payloadFile ? [`import payload from ${JSON.stringify(payloadFile)} with { type: 'json' };`] : []),
    `const clients = [${clients.map((client) => client.create).join(', ')}];`,
    payloadFile
      ? 'export const handler = async () => [clients.length, payload];'
      : 'export const handler = async () => clients.length;',
    '',
  ].join('\n');
}
