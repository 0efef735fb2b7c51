/**
 * The one Lambda construct: every Klantreis function gets its defaults here (runtime, arm64,
 * ESM bundle with source maps, its own log group, X-Ray, Powertools settings) and its grants
 * through the methods below, so the stack only says *what* a function may do.
 */
import { isAbsolute, join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { BuildOptions } from 'esbuild';
import { resourceName } from '#catalog/catalog.ts';
import { type TableAccess, type TableIndexName, tableActionsOf } from '#catalog/table-access.ts';
import { LAMBDA_TIMEOUT_SECONDS } from '../local/lambda-context.ts';
import type { StageConfig } from '../stages.ts';
import { repoRoot } from './repo-root.ts';
import { stageLogGroup } from './stage-encryption.ts';

/** Where rendered templates live inside the deployed bundle. */
export const TEMPLATES_DIR_IN_BUNDLE = '/var/task/templates';

/**
 * ESM output still meets CommonJS dependencies (aws-xray-sdk-core under the Powertools tracer)
 * that call `require`; ESM has none, so the bundle creates one.
 */
const REQUIRE_BANNER =
  "import { createRequire as __klantreisCreateRequire } from 'node:module'; const require = __klantreisCreateRequire(import.meta.url);";

/**
 * The AWS SDK v3 is left out of the bundle: the nodejs24.x runtime ships a complete, consistent
 * SDK v3 (clients, lib-dynamodb and their @smithy core), and bundling it would triple every bundle
 * (measured: ~1.3 MB vs ~0.6 MB minified for a handler with DynamoDB and SES clients) against a
 * 300 KB budget. We use only long-stable APIs (DynamoDB, SESv2 SendEmail, SNS Publish, End User
 * Messaging SMS SendTextMessage, SFN StartExecution), so the runtime's version is enough. The Powertools tracer's
 * `captureAWSv3Client` only adds middleware to the client instance, so it works with the runtime
 * SDK. `@smithy/*` is deliberately *bundled*: the only @smithy package reached from our code is
 * `@smithy/service-error-classification`, required by aws-xray-sdk-core at ^2 (the runtime carries
 * a newer major), and it is 2 KB. Set `bundleAwsSdk` on a function that needs a newer SDK feature.
 */
const SDK_EXTERNALS = ['@aws-sdk/*'];

/**
 * Modules replaced in every bundle. `aws-xray-sdk-core` (under the Powertools tracer) gets its Lambda
 * entry, `functions/adapters/xray-sdk-in-lambda.cjs`: the SDK's own modules without centralized
 * sampling, the plugins, the middleware and the SDK v2 patcher (and with it the real `semver`), about
 * 22 KB of every bundle. `test/unit/bundles/bundle-budget.test.ts` checks that a built bundle sends the
 * same subsegments as one with the SDK's own entry.
 */
const BUNDLE_ALIASES = {
  'aws-xray-sdk-core': join(repoRoot, 'functions', 'adapters', 'xray-sdk-in-lambda.cjs'),
};

/** The esbuild settings every function is bundled with; the bundle-size benchmark reuses them. */
export const LAMBDA_BUNDLE = {
  target: 'node24',
  minify: true,
  banner: REQUIRE_BANNER,
  externalModules: SDK_EXTERNALS,
  alias: BUNDLE_ALIASES,
} as const satisfies {
  target: string;
  minify: boolean;
  banner: string;
  externalModules: readonly string[];
  alias: Record<string, string>;
};

/**
 * `LAMBDA_BUNDLE` as esbuild's own build options, for the code that builds a handler the way the stack
 * does without CDK (the bundle budget and data-file tests, the cold-start benchmark): add the entry,
 * the output and what the caller measures (`metafile`, `write`, `sourcemap`).
 */
export const LAMBDA_ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: LAMBDA_BUNDLE.target,
  minify: LAMBDA_BUNDLE.minify,
  banner: { js: LAMBDA_BUNDLE.banner },
  external: [...LAMBDA_BUNDLE.externalModules],
  alias: { ...LAMBDA_BUNDLE.alias },
  logLevel: 'silent',
} as const satisfies BuildOptions;

export interface NodeFunctionProps {
  stage: StageConfig;
  /** Kebab-case handler id: the default entry `functions/handlers/<id>.ts` and the name suffix. */
  handlerId: string;
  /** The table every function is told about (`TABLE_NAME`); access is granted with `grantTable`. */
  tableName: string;
  /** Entry file, absolute or from the repository root; tests point it at a fixture. */
  entry?: string;
  /** Copy the repository's `templates/` folder into the bundle and set `TEMPLATES_DIR`. */
  withTemplates?: boolean;
  memorySize?: number;
  timeout?: Duration;
  /** Extra environment; the defaults (STAGE, Powertools, TABLE_NAME) cannot be overridden by accident. */
  environment?: Record<string, string>;
  /** Bundle the AWS SDK instead of using the runtime's (see SDK_EXTERNALS). */
  bundleAwsSdk?: boolean;
}

export class NodeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  /** The function's own role: its log group and what the grants below add, nothing managed. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const { stage, handlerId } = props;
    const functionName = resourceName(stage.name, handlerId);
    const entry = props.entry ?? join('functions', 'handlers', `${handlerId}.ts`);

    this.logGroup = stageLogGroup(this, 'LogGroup', stage, { logGroupName: `/aws/lambda/${functionName}` });

    // Instead of AWSLambdaBasicExecutionRole (logs in any group): writing to its own log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: its log group, and what its catalog entry grants`,
    });
    this.logGroup.grantWrite(this.role);
    // Tracing.ACTIVE adds these to the role; X-Ray has no resource-level permissions.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords accept only "*"; and sns:Publish to a phone number (run-journey-step) has no resource ARN, while an explicit deny keeps it off every topic (grantSendSms).',
    });

    this.function = new NodejsFunction(this, 'Function', {
      role: this.role,
      functionName,
      entry: isAbsolute(entry) ? entry : join(repoRoot, entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(LAMBDA_TIMEOUT_SECONDS),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment: {
        ...props.environment,
        STAGE: stage.name,
        POWERTOOLS_SERVICE_NAME: 'klantreis',
        POWERTOOLS_METRICS_NAMESPACE: 'Klantreis',
        POWERTOOLS_LOG_LEVEL: stage.logLevel,
        TABLE_NAME: props.tableName,
        // Stack traces point at the TypeScript sources, not the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        ...(props.withTemplates ? { TEMPLATES_DIR: TEMPLATES_DIR_IN_BUNDLE } : {}),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: LAMBDA_BUNDLE.target,
        minify: LAMBDA_BUNDLE.minify,
        sourceMap: true,
        banner: LAMBDA_BUNDLE.banner,
        externalModules: props.bundleAwsSdk ? [] : [...LAMBDA_BUNDLE.externalModules],
        esbuildArgs: Object.fromEntries(
          Object.entries(LAMBDA_BUNDLE.alias).map(([module, file]) => [`--alias:${module}`, file]),
        ),
        commandHooks: afterBundlingHook(props.withTemplates ?? false),
      },
    });
  }

  /**
   * Grants the table access the handler's catalog entry names, and nothing more: the access level's
   * item actions (`table-access.ts`) on the table and on the indexes it queries, each by name —
   * unlike `grantReadData`, no `index/*`, Scan or DescribeTable. Under a customer-managed key, the
   * key actions DynamoDB uses on the caller's behalf, and only through DynamoDB.
   */
  grantTable(table: ITableV2, access: TableAccess, indexNames: readonly TableIndexName[] = []): void {
    if (access === 'none') return;
    const indexes = indexNames.map((name) => `${table.tableArn}/index/${name}`);
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: tableActionsOf(access), resources: [table.tableArn, ...indexes] }),
    );
    const tableKey = tableKeyStatement(table, access);
    if (tableKey) this.function.addToRolePolicy(tableKey);
  }

  /**
   * Allows SES v2 SendEmail from the stage's sender identity (the address or its domain,
   * whichever is verified) and through its configuration set, not from any identity.
   */
  grantSendEmail(stage: StageConfig, configurationSetName = stage.sesConfigurationSetName): void {
    const stack = Stack.of(this);
    const address = senderAddressOf(stage.emailFrom);
    const domain = address.slice(address.indexOf('@') + 1);
    const sesArn = (resource: string) => stack.formatArn({ service: 'ses', resource });
    const resources = [sesArn(`identity/${address}`), sesArn(`identity/${domain}`)];
    if (configurationSetName) {
      resources.push(sesArn(`configuration-set/${configurationSetName}`));
    }
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources }));
  }

  /**
   * Allows SNS Publish to phone numbers, and to nothing else. A Publish with `PhoneNumber` names no
   * topic: IAM checks it against the number itself (SNS's access-denied message reads "SNS:Publish
   * on resource: +31…"), so the allow must be `*`, and the explicit deny on every SNS ARN (topics,
   * platform endpoints) leaves exactly the phone numbers. docs/decisions/sms-publish-least-privilege.md
   */
  grantSendSms(): void {
    this.function.addToRolePolicy(
      new PolicyStatement({ sid: 'SmsToPhoneNumbers', actions: ['sns:Publish'], resources: ['*'] }),
    );
    this.function.addToRolePolicy(
      new PolicyStatement({
        sid: 'NoPublishToTopics',
        effect: Effect.DENY,
        actions: ['sns:Publish'],
        resources: [snsArnsOf(Stack.of(this))],
      }),
    );
  }

  /**
   * Lets the function send SMS with End User Messaging SMS `SendTextMessage` from the stage's
   * origination identity through its configuration set, and nothing else: no other identity, no
   * other configuration set, and no `sns:Publish` at all.
   */
  grantSendTextMessage(originationIdentityArn: string, configurationSetName: string): void {
    const stack = Stack.of(this);
    this.function.addToRolePolicy(
      new PolicyStatement({
        sid: 'SmsFromOriginationIdentity',
        actions: ['sms-voice:SendTextMessage'],
        resources: [
          originationIdentityArn,
          stack.formatArn({
            service: 'sms-voice',
            resource: 'configuration-set',
            resourceName: configurationSetName,
          }),
        ],
      }),
    );
  }

  /** Adds an environment variable after construction (values known only once other resources exist). */
  addEnvironment(key: string, value: string): void {
    this.function.addEnvironment(key, value);
  }
}

/** Returns every SNS ARN of the partition (topics and platform endpoints, any region and account). */
export function snsArnsOf(stack: Stack): string {
  return `arn:${stack.partition}:sns:*:*:*`;
}

/**
 * Returns the key statement a table grant needs when the table is under a customer-managed key:
 * decrypt to read, encrypt and data keys to write, and only when DynamoDB makes the call.
 */
export function tableKeyStatement(table: ITableV2, access: TableAccess): PolicyStatement | undefined {
  if (!table.encryptionKey || access === 'none') return undefined;
  const actions = ['kms:Decrypt', 'kms:DescribeKey'];
  if (access !== 'read') actions.push('kms:Encrypt', 'kms:GenerateDataKey');
  return new PolicyStatement({
    actions,
    resources: [table.encryptionKey.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(table).region}.amazonaws.com` } },
  });
}

/** Returns the CDK removal policy of a stage: production data survives a deleted stack. */
export function removalPolicyOf(stage: StageConfig): RemovalPolicy {
  return stage.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

/** Returns the bare address of an RFC 5322 sender such as `Klantreis <noreply@example.com>`. */
export function senderAddressOf(emailFrom: string): string {
  const angle = /<([^<>]+)>/.exec(emailFrom);
  return (angle?.[1] ?? emailFrom).trim();
}

/**
 * Copies the data files the code reads at init (`functions/adapters/data-file.ts`) beside every
 * bundle, and with `withTemplates` compiles the repository's templates (MJML to HTML) into the
 * bundle, where `TEMPLATES_DIR` points. Both scripts run here, with the Node that runs the CDK app,
 * so mjml never enters a bundle.
 */
function afterBundlingHook(withTemplates: boolean) {
  return {
    beforeBundling: (): string[] => [],
    beforeInstall: (): string[] => [],
    afterBundling: (inputDir: string, outputDir: string): string[] => [
      `"${process.execPath}" "${join(inputDir, 'infra', 'constructs', 'copy-data-files.ts')}" --out "${outputDir}"`,
      ...(withTemplates
        ? [
            `"${process.execPath}" "${join(inputDir, 'infra', 'content', 'compile-templates.ts')}" --out "${join(outputDir, 'templates')}"`,
          ]
        : []),
    ],
  };
}
