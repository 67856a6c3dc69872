import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { type ConsoleConfig, consoleSourceDir, contentSecurityPolicy, portalPage } from '../console-config';
import {
  acknowledgeCustomResourceProvider,
  acknowledgeWildcardAction,
  acknowledgeWildcardResource,
} from './nag';

/** Where Vite puts the hashed scripts and stylesheets (its `build.assetsDir`): cached for a year. */
const HASHED_ASSETS = 'assets/*';

/** Properties of {@link AdminConsole}. */
export interface AdminConsoleProps {
  /** The repository root: where `package.json`, `node_modules` and the `console` directory are. */
  readonly projectRoot: string;
  /**
   * Origins the console's scripts may call besides its own (the CSP's `connect-src`): the API and
   * Cognito. They must not reference the HTTP API's resources, since the API's CORS configuration
   * depends on the distribution.
   */
  readonly connectSources: readonly string[];
  /**
   * Keep the bucket (and the deployment's log group) when the stack or the resource goes away; off,
   * the bucket is emptied and deleted with the stack.
   * @default true
   */
  readonly retainData?: boolean;
  /**
   * Edge locations serving the console. Its users are a school's staff, in one region of the world.
   * @default PriceClass.PRICE_CLASS_100 (North America, Europe and Israel)
   */
  readonly priceClass?: PriceClass;
  /** @default RetentionDays.ONE_MONTH */
  readonly deploymentLogRetention?: RetentionDays;
}

/**
 * The admin console in AWS: a private, encrypted, TLS-only bucket that only the CloudFront
 * distribution in front of it can read (Origin Access Control), served over HTTPS with security
 * headers. {@link AdminConsole.deploy} uploads the console, built with the project's Vite at synth
 * time, and its `config.json`.
 */
export class AdminConsole extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** Security headers on every response, the Content-Security-Policy among them. */
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  /** `https://<distribution domain>`: the origin the API must allow (CORS). */
  readonly origin: string;
  /** `https://<distribution domain>/`: where admins open the console. */
  readonly url: string;
  private readonly projectRoot: string;
  private readonly retainData: boolean;
  private readonly deploymentLogRetention: RetentionDays;
  /**
   * The objects of the buckets the deployments' sources are read from (CDK's asset bucket), by
   * their template form, for cdk-nag.
   */
  private readonly sourceObjects = new Map<string, string>();

  constructor(scope: Construct, id: string, props: AdminConsoleProps) {
    super(scope, id);
    const { retainData = true, priceClass = PriceClass.PRICE_CLASS_100 } = props;
    this.projectRoot = props.projectRoot;
    this.retainData = retainData;
    this.deploymentLogRetention = props.deploymentLogRetention ?? RetentionDays.ONE_MONTH;

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Follows the stack's `retainData`, like the table; a throwaway stack must be able to delete a
      // bucket that still holds the console.
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !retainData,
    });
    const bucketResource = this.bucket.node.defaultChild;
    if (bucketResource) {
      Validations.of(bucketResource).acknowledge({
        id: 'AwsSolutions-S1',
        reason:
          "The bucket holds only the console's static build, which anyone may download through CloudFront; " +
          "it is written only by the stack's deployment, and every data access goes through the HTTP API, whose stage writes an access log.",
      });
    }

    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Admin console: HSTS, CSP, no framing, no sniffing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.connectSources),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365 * 2),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // The API and Cognito learn the console's origin, never the page's path.
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Admin console',
      defaultBehavior: {
        // Origin Access Control: the bucket policy lets this distribution (and only it) read objects.
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: this.responseHeadersPolicy,
      },
      // The console is one page at `/` with no client-side routes, so no error page rewrites: a
      // missing file answers an error, not the page with status 200.
      defaultRootObject: 'index.html',
      priceClass,
      httpVersion: HttpVersion.HTTP2_AND_3,
    });
    const distributionResource = this.distribution.node.defaultChild;
    if (distributionResource) {
      Validations.of(distributionResource).acknowledge(
        {
          id: 'AwsSolutions-CFR1',
          reason:
            'Schools and their staff may be anywhere; the console is public static code, and every call for data is checked by the API (staff token).',
        },
        {
          id: 'AwsSolutions-CFR2',
          reason:
            'The distribution serves only static files (no data, no forms posted to it); the API has its own stage throttling and per-parent rate limits.',
        },
        {
          id: 'AwsSolutions-CFR3',
          reason:
            "CloudFront's standard logs would only record downloads of the public static build; data access is logged by the HTTP API's stage access log.",
        },
        {
          id: 'AwsSolutions-CFR4',
          reason:
            'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes (TLSv1); a domain with an ACM certificate would allow TLSv1.2_2021.',
        },
      );
    }

    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}/`;
  }

  /**
   * Uploads the console and its `config.json`, then invalidates the page and the configuration in
   * CloudFront. Hashed assets go first with a year-long immutable `Cache-Control`; the page and
   * `config.json` follow with `no-cache`, so a deployment never serves a page whose assets are
   * missing, and browsers pick up a new release or configuration at once.
   *
   * @param config where the console finds the API and the staff pool; it may reference the API,
   * unlike the distribution.
   */
  deploy(config: Omit<ConsoleConfig, 'local_sign_in'>): void {
    const build = this.buildSource();
    // The handler is a singleton shared by every deployment in the stack: one log group for all.
    const logGroup = new LogGroup(this, 'DeploymentLogs', {
      retention: this.deploymentLogRetention,
      removalPolicy: this.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [this.recordingBucket(build)],
      destinationBucket: this.bucket,
      // Only the hashed files: their names change with their content, so caching them forever is safe.
      exclude: ['*'],
      include: [HASHED_ASSETS],
      cacheControl: [
        CacheControl.setPublic(),
        CacheControl.maxAge(Duration.days(365)),
        CacheControl.immutable(),
      ],
      // Keep earlier releases' assets: a page loaded before this deployment may still fetch them.
      prune: false,
      logGroup,
    });

    const page = new BucketDeployment(this, 'DeployPage', {
      sources: [
        this.recordingBucket(build),
        // Never `local_sign_in` in AWS: the object is built from the named fields only.
        this.recordingBucket(
          Source.jsonData('config.json', {
            api_url: config.api_url,
            region: config.region,
            cognito_endpoint: config.cognito_endpoint,
            staff_client_id: config.staff_client_id,
            parent_client_id: config.parent_client_id,
          } satisfies ConsoleConfig),
        ),
      ],
      destinationBucket: this.bucket,
      // Everything but the hashed assets, which the other deployment owns (and prune leaves alone).
      exclude: [HASHED_ASSETS],
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      // `/` is cached apart from `/index.html` even though it serves the same object.
      distributionPaths: ['/', '/index.html', '/config.json', `/${portalPage}`],
      logGroup,
    });
    page.node.addDependency(assets);

    this.acknowledgeDeploymentFindings(page);
  }

  /**
   * The console built by the project's Vite (`vite build console`), like `npm run build:console`
   * but into CDK's staging directory. Locally when the repository's dependencies are installed, as
   * NodejsFunction bundles with the local esbuild; otherwise in a Node.js container.
   */
  private buildSource(): ISource {
    const projectRoot = this.projectRoot;
    const vite = join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js');
    const viteArguments = (outDir: string) => [
      'build',
      consoleSourceDir,
      '--outDir',
      outDir,
      '--emptyOutDir',
    ];
    return Source.asset(join(projectRoot, consoleSourceDir), {
      // The build's content, not the `console` directory's, names the asset: the console may
      // import code from elsewhere in the repository, and a change there must still deploy.
      assetHashType: AssetHashType.OUTPUT,
      exclude: ['dist', 'node_modules'],
      bundling: {
        local: {
          tryBundle(outputDir) {
            if (!existsSync(vite)) return false;
            // The Node.js running synth, so no shell or PATH lookup; Vite's output goes to stderr,
            // keeping stdout for the CDK CLI.
            execFileSync(process.execPath, [vite, ...viteArguments(outputDir)], {
              cwd: projectRoot,
              stdio: ['ignore', 2, 2],
            });
            return true;
          },
        },
        // Without installed dependencies: install them from the lock file in a copy of the
        // repository inside the container (the host's node_modules stays untouched) and build.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
        volumes: [{ hostPath: projectRoot, containerPath: '/project' }],
        environment: { HOME: '/tmp', npm_config_cache: '/tmp/.npm' },
        command: [
          'bash',
          '-c',
          [
            'set -eu',
            'mkdir -p /tmp/project',
            'tar -C /project --exclude=./node_modules --exclude=./cdk.out --exclude=./.git --exclude=./.local -cf - . | tar -C /tmp/project -xf -',
            'cd /tmp/project',
            'npm ci --ignore-scripts --no-audit --no-fund',
            `node node_modules/vite/bin/vite.js ${viteArguments('/asset-output').join(' ')}`,
          ].join(' && '),
        ],
      },
    });
  }

  /** `source` as is, noting the bucket it is read from when a deployment binds it. */
  private recordingBucket(source: ISource): ISource {
    return {
      bind: (scope, context) => {
        const config = source.bind(scope, context);
        const objects = config.bucket.arnForObjects('*');
        this.sourceObjects.set(JSON.stringify(Stack.of(this).resolve(objects)), objects);
        return config;
      },
    };
  }

  /**
   * cdk-nag findings on what BucketDeployment creates: its singleton handler (at the stack's root,
   * shared by both deployments) with its role and policy. Acknowledged on those, finding by finding.
   */
  private acknowledgeDeploymentFindings(deployment: BucketDeployment): void {
    const role = deployment.handlerRole;
    acknowledgeCustomResourceProvider(role.node.scope, role, {
      name: "BucketDeployment's handler",
      runtime: 'the Python runtime (with the AWS CLI layer)',
      runsWhile: 'a deployment copies the console into its bucket',
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (!policy) return;
    acknowledgeWildcardResource(
      policy,
      `${this.bucket.bucketArn}/*`,
      "BucketDeployment syncs the console into this bucket: it puts, lists and deletes the bucket's objects.",
    );
    for (const objects of this.sourceObjects.values()) {
      acknowledgeWildcardResource(
        policy,
        objects,
        'BucketDeployment reads the zipped console and config.json that cdk deploy uploaded to the bootstrap asset bucket.',
      );
    }
    acknowledgeWildcardResource(
      policy,
      '*',
      'CloudFront invalidations (cloudfront:CreateInvalidation, GetInvalidation): BucketDeployment grants them on "*", not on the distribution.',
    );
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
      acknowledgeWildcardAction(
        policy,
        action,
        `BucketDeployment's grant on the console bucket and the asset bucket (${action}): the object operations the AWS CLI's s3 sync needs.`,
      );
    }
  }
}
