import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleConfig } from '../../infra/console-config';
import { CORS_HEADERS } from '../../infra/constructs/http-api';
import { EMAIL_BODY_STYLE } from '../../shared/domain/invite-message';
import { inspect, type Json } from './inspect';
import { synthesize } from './synth';

let template: Template;
let built: ReturnType<typeof synthesize>['stack'];
let look: ReturnType<typeof inspect>;
/** The cloud assembly directory, where the staged assets are. */
let outdir: string;

const ref = (construct: Parameters<typeof look.logicalId>[0]) => ({ Ref: look.logicalId(construct) });
const getAtt = (construct: Parameters<typeof look.logicalId>[0], attribute: string) => ({
  'Fn::GetAtt': [look.logicalId(construct), attribute],
});

/** Deploy-time values for rendering a template string, as CloudFormation would in eu-west-1. */
const pseudoParameters: Record<string, string> = {
  'AWS::Region': 'eu-west-1',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** A template value (`Fn::Join` of strings and pseudo-parameter `Ref`s) as the string it becomes. */
function render(value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::Join']) {
    const [delimiter, parts] = value['Fn::Join'] as [string, Json[]];
    return parts.map(render).join(delimiter);
  }
  const parameter = value?.Ref !== undefined ? pseudoParameters[value.Ref] : undefined;
  if (parameter === undefined) throw new Error(`Cannot render ${JSON.stringify(value)}`);
  return parameter;
}

/** The console's two BucketDeployments: hashed assets, then the page with `config.json`. */
function deployments() {
  const all = look.ofType('Custom::CDKBucketDeployment');
  const page = all.find(([, deployment]) => deployment.Properties.DistributionId !== undefined);
  const assets = all.find(([, deployment]) => deployment.Properties.DistributionId === undefined);
  if (all.length !== 2 || !page || !assets) throw new Error('Expected the assets and the page deployments');
  return { page, assets };
}

beforeAll(() => {
  const synthesized = synthesize();
  template = synthesized.template;
  built = synthesized.stack;
  look = inspect(built, template);
  outdir = synthesized.app.outdir;
});

describe('admin console bucket', () => {
  it('is private, encrypted, owner-enforced and no website', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1);
    const bucket = look.resource(built.adminConsole.bucket);
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('refuses requests without TLS and lets only this distribution read objects (OAC)', () => {
    const [policy, ...others] = look.ofType('AWS::S3::BucketPolicy');
    expect(others).toHaveLength(0);
    const bucketArn = getAtt(built.adminConsole.bucket, 'Arn');
    const objects = { 'Fn::Join': ['', [bucketArn, '/*']] };
    expect(policy?.[1].Properties.Bucket).toEqual(ref(built.adminConsole.bucket));
    expect(policy?.[1].Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [bucketArn, objects],
      },
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  ref(built.adminConsole.distribution),
                ],
              ],
            },
          },
        },
        Resource: objects,
      },
    ]);
  });
});

describe('admin console distribution', () => {
  let config: Json;
  beforeAll(() => {
    config = look.resource(built.adminConsole.distribution).Properties.DistributionConfig;
  });

  it('reads the bucket through Origin Access Control, signing every request', () => {
    const [origin, ...others] = config.Origins;
    expect(others).toHaveLength(0);
    expect(origin).toMatchObject({
      DomainName: getAtt(built.adminConsole.bucket, 'RegionalDomainName'),
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    const [controlId] = origin.OriginAccessControlId['Fn::GetAtt'];
    expect(look.resources[controlId]?.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
  });

  it('redirects HTTP to HTTPS and adds the security headers to every response', () => {
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      ResponseHeadersPolicyId: ref(built.adminConsole.responseHeadersPolicy),
    });
    expect(config.CacheBehaviors).toBeUndefined();
  });

  it('serves index.html at / as the one page, from the cheapest price class', () => {
    expect(config).toMatchObject({
      DefaultRootObject: 'index.html',
      PriceClass: 'PriceClass_100',
      Enabled: true,
    });
    // One page, no client-side routes: a missing file is an error, not the page.
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('does not depend on the HTTP API, which allows its origin', () => {
    const apiId = look.logicalId(built.api.httpApi);
    for (const construct of [built.adminConsole.distribution, built.adminConsole.responseHeadersPolicy]) {
      expect(JSON.stringify(look.resource(construct))).not.toContain(apiId);
    }
  });
});

describe('admin console security headers', () => {
  let headers: Json;
  beforeAll(() => {
    headers = look.resource(built.adminConsole.responseHeadersPolicy).Properties.ResponseHeadersPolicyConfig
      .SecurityHeadersConfig;
  });

  it('send HSTS for two years, nosniff, no framing and a strict referrer policy', () => {
    expect(headers).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    });
  });

  it("limit scripts, styles and calls to the console's origin, API Gateway and Cognito of the region", () => {
    expect(headers.ContentSecurityPolicy.Override).toBe(true);
    expect(render(headers.ContentSecurityPolicy.ContentSecurityPolicy)).toBe(
      [
        "default-src 'self'",
        "connect-src 'self' https://*.execute-api.eu-west-1.amazonaws.com https://cognito-idp.eu-west-1.amazonaws.com",
        "img-src 'self' data:",
        // The invite email's body style, by its hash, for the Settings page's preview frame.
        `style-src 'self' 'unsafe-hashes' 'sha256-${createHash('sha256').update(EMAIL_BODY_STYLE).digest('base64')}'`,
        "script-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ].join('; '),
    );
  });
});

describe('admin console deployment', () => {
  it('uploads the hashed assets first, cached for a year, keeping earlier releases', () => {
    const { assets } = deployments();
    expect(assets[1].Properties).toMatchObject({
      DestinationBucketName: ref(built.adminConsole.bucket),
      Include: ['assets/*'],
      Exclude: ['*'],
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
  });

  it('then the page and config.json, never cached stale, and invalidates them in CloudFront', () => {
    const { page, assets } = deployments();
    expect(page[1].Properties).toMatchObject({
      DestinationBucketName: ref(built.adminConsole.bucket),
      Exclude: ['assets/*'],
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionId: ref(built.adminConsole.distribution),
      DistributionPaths: ['/', '/index.html', '/config.json', '/portal/index.html'],
    });
    expect(page[1].Properties.Include).toBeUndefined();
    expect((page[1] as Json).DependsOn).toContain(assets[0]);
    // The same console build goes to both.
    expect(page[1].Properties.SourceObjectKeys[0]).toBe(assets[1].Properties.SourceObjectKeys[0]);
  });

  it('writes config.json in the ConsoleConfig shape: the API endpoint, the region, Cognito and the staff client', () => {
    const { page } = deployments();
    const [, configKey] = page[1].Properties.SourceObjectKeys as string[];
    const [, markers] = page[1].Properties.SourceMarkers as Record<string, Json>[];
    const staged = readFileSync(
      join(outdir, `asset.${configKey?.replace(/\.zip$/, '')}`, 'config.json'),
      'utf8',
    );
    // Markers stand for the values CloudFormation fills in; each becomes the reference it names.
    const withReferences = JSON.parse(staged, (_, value: unknown) => {
      if (typeof value !== 'string') return value;
      const parts = value.split(/(<<marker:0xbaba:\d+>>)/).filter(Boolean);
      const resolved = parts.map((part) => markers?.[part] ?? part);
      return resolved.length === 1 ? resolved[0] : resolved;
    });
    expect(withReferences).toEqual({
      api_url: getAtt(built.api.httpApi, 'ApiEndpoint'),
      region: { Ref: 'AWS::Region' },
      cognito_endpoint: ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/'],
      staff_client_id: ref(built.staffPool.client),
      parent_client_id: ref(built.parentPool.client),
    } satisfies Record<keyof Omit<ConsoleConfig, 'local_sign_in'>, Json>);
  });

  it('logs to its own log group, kept a month', () => {
    const handlers = look
      .ofType('AWS::Lambda::Function')
      .filter(([id]) => id.startsWith('CustomCDKBucketDeployment'));
    expect(handlers).toHaveLength(1);
    const logGroupId = handlers[0]?.[1].Properties.LoggingConfig.LogGroup.Ref;
    expect(look.resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('admin console and the HTTP API', () => {
  it("allow the console's origin to call the API with a token and a JSON body", () => {
    expect(look.resource(built.api.httpApi).Properties.CorsConfiguration).toEqual({
      AllowOrigins: [
        { 'Fn::Join': ['', ['https://', getAtt(built.adminConsole.distribution, 'DomainName')]] },
      ],
      AllowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      AllowHeaders: CORS_HEADERS,
      AllowCredentials: false,
      MaxAge: 3600,
    });
    expect(CORS_HEADERS).toEqual(expect.arrayContaining(['authorization', 'content-type']));
  });

  it('outputs the console URL', () => {
    template.hasOutput('AdminConsoleUrl', {
      Value: { 'Fn::Join': ['', ['https://', getAtt(built.adminConsole.distribution, 'DomainName'), '/']] },
      Description: Match.stringLikeRegexp('console'),
    });
  });
});
