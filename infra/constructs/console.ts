/**
 * The console on AWS: the built app in a private S3 bucket behind CloudFront (origin access
 * control, HTTPS only, security headers), sign-in through the stage's own Cognito user pool
 * (authorization code with PKCE, groups `agent`, `editor`, `viewer`), and the console's routes as
 * a second HTTP API behind a JWT authorizer, reached through CloudFront under `/api/*` so the
 * browser calls its own origin. The IAM-authorized API for integrating systems is not touched.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import {
  AssetHashType,
  Aws,
  type CfnElement,
  CfnOutput,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { type HandlerSpec, resourceName } from '#catalog/catalog.ts';
import type { ConsoleRole } from '#catalog/roles.ts';
import {
  CONSOLE_FILE_PATH,
  CONSOLE_ROLES,
  type ConsoleConfig,
  consoleContentSecurityPolicy,
  SIGNED_IN_PATH,
  SIGNED_OUT_PATH,
} from '../console-site.ts';
import type { StageConfig } from '../stages.ts';
import { API_ACCESS_LOG_FORMAT } from './api-access-log.ts';
import { repoRoot } from './repo-root.ts';
import { stageLogGroup } from './stage-encryption.ts';

/** A route the console may call, and the function that serves it (the same one the IAM API calls). */
export interface ConsoleRoute {
  spec: HandlerSpec & { route: NonNullable<HandlerSpec['route']>; console: { role: ConsoleRole } };
  function: IFunction;
}

export interface ConsoleProps {
  stage: StageConfig;
  routes: readonly ConsoleRoute[];
  /** A built console to deploy as it is (tests); by default synth builds it (`npm run console:build`). */
  assetsDir?: string;
}

/** What each group may do, as Cognito shows it to whoever manages the users. */
const GROUP_DESCRIPTIONS: Record<ConsoleRole, string> = {
  viewer: 'Reads customers, conversations, runs, hand-overs, journeys and results.',
  agent: 'Reads, and acts on customers: stops and pauses runs, records outcomes, takes hand-overs.',
  editor: 'Reads, and manages experiments and journey configuration.',
};

/** The console's API lives under this path on the console's own origin, with the API's paths after it. */
export const CONSOLE_API_PREFIX = '/api';

/**
 * Answers every page of the app with `index.html` at the edge, so a reload or a hand-over link
 * (`/customers/<id>`) opens the app; files (`/assets/…`, `/console-config.json`) pass as they are.
 * Only on the bucket's behaviour: an API answer under `/api/*` is never replaced by the app.
 */
const APP_PAGES_FUNCTION = `function handler(event) {
  var request = event.request;
  if (!${CONSOLE_FILE_PATH.toString()}.test(request.uri)) request.uri = '/index.html';
  return request;
}`;

/** A page shown until the console is built: synth never fails for want of it. */
const NOT_BUILT_INDEX =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Klantreis console</title></head><body><main><h1>The console was not built</h1><p>Deploy from a checkout where <code>npm run console:build</code> runs.</p></main></body></html>';

/**
 * The built console as an asset: built at synth the way esbuild bundles the functions (skipped
 * when the stack is not bundled), from the repository's `console:build` script into `dist/console/`.
 */
function consoleBuild(): ISource {
  return Source.asset(join(repoRoot, 'infra'), {
    // The output names the asset: a changed build deploys, an unchanged one does not.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: the local build below always answers (CDK requires an image all the same).
      image: DockerImage.fromRegistry('node:24-slim'),
      local: {
        tryBundle(outputDir) {
          const scripts = (
            JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
              scripts?: Record<string, string>;
            }
          ).scripts;
          if (!scripts?.['console:build']) {
            writeFileSync(join(outputDir, 'index.html'), NOT_BUILT_INDEX);
            return true;
          }
          // Its output goes to stderr: `cdk synth` prints the template on stdout.
          execFileSync('npm', ['run', 'console:build', '--silent'], {
            cwd: repoRoot,
            stdio: ['ignore', 2, 2],
          });
          const built = join(repoRoot, 'dist', 'console');
          if (!existsSync(join(built, 'index.html'))) {
            throw new Error('npm run console:build wrote no dist/console/index.html');
          }
          // Vite's manifest (`.vite/`) is for the build's own tooling, not for browsers.
          cpSync(built, outputDir, { recursive: true, filter: (path) => !path.includes(`${sep}.vite`) });
          return true;
        },
      },
    },
  });
}

export class Console extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly api: HttpApi;
  /** `https://<distribution domain>`: the console's address. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleProps) {
    super(scope, id);
    const { stage } = props;
    const retain = stage.removalPolicy === 'retain';
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const settings = stage.console;
    const domainPrefix = settings.domainPrefix ?? resourceName(stage.name, 'console');

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: resourceName(stage.name, 'console'),
      // People are invited by whoever manages the stage (`admin-create-user`), never sign themselves up.
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: settings.mfa === 'required' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: settings.threatProtection === 'off' ? FeaturePlan.ESSENTIALS : FeaturePlan.PLUS,
      ...(settings.threatProtection === 'off'
        ? {}
        : {
            standardThreatProtectionMode:
              settings.threatProtection === 'enforced'
                ? StandardThreatProtectionMode.FULL_FUNCTION
                : StandardThreatProtectionMode.AUDIT_ONLY,
          }),
      deletionProtection: retain,
      removalPolicy,
    });
    if (settings.mfa !== 'required') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason: `Stage ${stage.name} sets console.mfa to optional: each person may add an authenticator app; the stage's data is not customers'.`,
      });
    }
    if (settings.threatProtection !== 'enforced') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: `Stage ${stage.name} sets console.threatProtection to ${settings.threatProtection}: the Plus plan is billed per active user, and this stage holds no customers' data.`,
      });
    }
    for (const role of CONSOLE_ROLES) {
      this.userPool.addGroup(`${role.charAt(0).toUpperCase()}${role.slice(1)}Group`, {
        groupName: role,
        description: GROUP_DESCRIPTIONS[role],
      });
    }
    this.domain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix } });

    this.api = this.consoleApi(stage);

    this.bucket = new Bucket(this, 'Assets', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
      // Only built files: the deployment puts them back on every deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only the built console, written by the deployment and read only by CloudFront (origin access control); server access logs would record nothing but CloudFront fetching public app files.',
    });

    const cognitoDomain = `https://${domainPrefix}.auth.${stage.region}.amazoncognito.com`;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: resourceName(stage.name, 'console-headers'),
      comment: 'Klantreis console: CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy({
            // oidc-client-ts reads the pool's discovery document and exchanges the code at the hosted UI.
            connectSources: [`https://cognito-idp.${stage.region}.amazonaws.com`, cognitoDomain],
            upgradeInsecureRequests: true,
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const appPages = new CloudFrontFunction(this, 'AppPages', {
      functionName: resourceName(stage.name, 'console-pages'),
      comment: 'Every page of the console app answers with index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(APP_PAGES_FUNCTION),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Klantreis console (${stage.name})`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: appPages, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [`${CONSOLE_API_PREFIX}/*`]: {
          origin: new HttpOrigin(`${this.api.apiId}.execute-api.${Stack.of(this).region}.${Aws.URL_SUFFIX}`, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // The bearer token and the body pass; Host must be the API's own for API Gateway to answer.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'The console serves staff wherever they work; sign-in (Cognito) is the gate, not geography.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Every API answer needs a signed-in person’s token (JWT authorizer) and the console API is throttled per stage; the app files are public build output. A WAF web ACL can be attached per deployment where policy asks for one.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'CloudFront access logs would hold viewers’ IP addresses and paths with customer ids (personal data we keep out of logs); the console API’s own access log records every API call by route, without either.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate cannot pin a minimum TLS version; put a custom domain with a TLSv1.2_2021 policy in front for that (console.callbackOrigins).',
      },
    );
    this.url = `https://${this.distribution.distributionDomainName}`;

    this.client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: resourceName(stage.name, 'console'),
      // A browser app keeps no secret: the authorization code grant with PKCE (oidc-client-ts sends it).
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.url, ...settings.callbackOrigins].map((origin) => `${origin}${SIGNED_IN_PATH}`),
        logoutUrls: [this.url, ...settings.callbackOrigins].map((origin) => `${origin}${SIGNED_OUT_PATH}`),
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // Short-lived tokens; the refresh token keeps a working day signed in.
      accessTokenValidity: Duration.minutes(30),
      idTokenValidity: Duration.minutes(30),
      refreshTokenValidity: Duration.hours(10),
      authSessionValidity: Duration.minutes(5),
    });

    this.addRoutes(stage, props.routes);

    const config: ConsoleConfig = {
      stage: stage.name,
      auth: {
        kind: 'cognito',
        authority: `https://cognito-idp.${stage.region}.amazonaws.com/${this.userPool.userPoolId}`,
        clientId: this.client.userPoolClientId,
        domain: cognitoDomain,
        redirectPath: SIGNED_IN_PATH,
      },
    };
    new BucketDeployment(this, 'Deployment', {
      sources: [
        props.assetsDir ? Source.asset(props.assetsDir) : consoleBuild(),
        Source.jsonData('console-config.json', config),
      ],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      // Hashed assets keep their names; everything is revalidated with its ETag, so a deploy shows at once.
      cacheControl: [CacheControl.noCache()],
      memoryLimit: 512,
    });

    this.acknowledgeDeploymentFunction();

    new CfnOutput(Stack.of(this), 'ConsoleUrl', { value: this.url });
    new CfnOutput(Stack.of(this), 'ConsoleUserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(Stack.of(this), 'ConsoleUserPoolClientId', { value: this.client.userPoolClientId });
  }

  /**
   * The deployment's function (one per stack, CDK's own) copies the built console from the CDK
   * assets bucket into the console's bucket and invalidates CloudFront's cache; its role and
   * runtime are CDK's.
   */
  private acknowledgeDeploymentFunction(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!handler) return;
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnElement);
    const reason = (what: string) => `CDK's BucketDeployment function (deploy time only): ${what}.`;
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: reason('writes its own logs with the basic execution role CDK gives it'),
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: reason(
          'reads the asset from the CDK assets bucket and replaces the files in the console bucket',
        ),
      })),
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${stack.region}/*]`,
        reason: reason(
          'reads the built console from the CDK assets bucket, whose object keys are asset hashes',
        ),
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
        reason: reason('replaces every file of the console bucket (and only that bucket)'),
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: reason(
          'invalidates the distribution’s cache (CloudFront invalidation actions take no resource)',
        ),
      },
      { id: 'AwsSolutions-L1', reason: reason('CDK picks and updates its runtime') },
    );
  }

  /** The console's HTTP API and its logged, throttled stage; its routes come once the app client exists. */
  private consoleApi(stage: StageConfig): HttpApi {
    const api = new HttpApi(this, 'Api', {
      apiName: resourceName(stage.name, 'console-api'),
      description: 'Klantreis console: the routes the console calls, for signed-in people (Cognito JWT)',
      createDefaultStage: false,
      // Only reached through CloudFront on the console's origin: no CORS.
    });
    const accessLogs = stageLogGroup(this, 'ApiAccessLogs', stage, {
      logGroupName: `/aws/vendedlogs/apigateway/${resourceName(stage.name, 'console-api')}`,
    });
    api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: stage.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: API_ACCESS_LOG_FORMAT,
      },
    });
    return api;
  }

  /**
   * Each console route under `/api`, on the same function as its IAM route, behind a JWT authorizer
   * that accepts the pool's tokens for this app client only (ID tokens by `aud`, access tokens by
   * `client_id`); the handler then checks the group.
   */
  private addRoutes(stage: StageConfig, routes: readonly ConsoleRoute[]): void {
    const authorizer = new HttpJwtAuthorizer(
      'ConsoleJwtAuthorizer',
      `https://cognito-idp.${stage.region}.amazonaws.com/${this.userPool.userPoolId}`,
      {
        authorizerName: resourceName(stage.name, 'console-jwt'),
        jwtAudience: [this.client.userPoolClientId],
      },
    );
    for (const { spec, function: fn } of routes) {
      this.api.addRoutes({
        path: `${CONSOLE_API_PREFIX}${spec.route.path}`,
        methods: [HttpMethod[spec.route.method]],
        integration: new HttpLambdaIntegration(`${pascalCase(spec.id)}ConsoleIntegration`, fn),
        authorizer,
      });
    }
  }
}

function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
