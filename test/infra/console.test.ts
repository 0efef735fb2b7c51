import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HandlerSpec, handlers } from '#catalog/catalog.ts';
import { CONSOLE_SECURITY_HEADERS } from '#infra/console-site.ts';
import { loadStage } from '#infra/stages.ts';
import { logicalIdOf, synthStack, synthUnderNag } from './synth.ts';

const prod = loadStage('prod');
const dev = loadStage('dev');
const consoleSpecs = (handlers as readonly HandlerSpec[]).filter((h) => h.console && h.route);

// One app under cdk-nag: prod (MFA required, threat protection enforced, retained) and dev (relaxed).
let prodTemplate: Template;
let devTemplate: Template;
let nagReport = '';
beforeAll(() => {
  const { templates, nagReport: report } = synthUnderNag([prod, dev]);
  [prodTemplate, devTemplate] = templates as [Template, Template];
  nagReport = report;
});

type Resource = { Type: string; Properties: Record<string, unknown> };
const resourcesOf = (template: Template, type: string) =>
  Object.entries(template.findResources(type) as Record<string, Resource>);
const only = (template: Template, type: string): [string, Resource] => {
  const found = resourcesOf(template, type);
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
};

interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
  AllowedMethods?: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId: unknown;
  FunctionAssociations?: Array<{ EventType: string; FunctionARN: unknown }>;
}
const distributionConfig = (template: Template) =>
  only(template, 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig as {
    DefaultCacheBehavior: Behavior;
    CacheBehaviors: Behavior[];
    Origins: Array<{
      Id: string;
      DomainName: unknown;
      OriginAccessControlId?: unknown;
      CustomOriginConfig?: unknown;
    }>;
    DefaultRootObject: string;
  };

describe('the console on AWS', () => {
  it('passes cdk-nag on every stage, each acknowledgement with its reason', () => {
    expect(nagReport).toBe('');
  });

  it('keeps the built app in a private, encrypted, TLS-only bucket that only CloudFront reads (origin access control)', () => {
    // The bucket behind the distribution's origin with origin access control.
    const s3Origin = distributionConfig(prodTemplate).Origins.find((o) => o.OriginAccessControlId);
    if (!s3Origin) throw new Error('no origin with origin access control');
    const bucketId = (s3Origin.DomainName as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const bucket = prodTemplate.toJSON().Resources[bucketId] as Resource;
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(s3Origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
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
    });
    prodTemplate.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    const [, policy] = resourcesOf(prodTemplate, 'AWS::S3::BucketPolicy').find(
      ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    ) as [string, Resource];
    const statements = (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> })
      .Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const distributionId = only(prodTemplate, 'AWS::CloudFront::Distribution')[0];
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': expect.objectContaining({
              'Fn::Join': ['', expect.arrayContaining([{ Ref: distributionId }])],
            }),
          },
        },
      }),
    );
  });

  it('serves the app over HTTPS only, with every answer carrying the security headers', () => {
    const config = distributionConfig(prodTemplate);
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    const [policyId, policy] = only(prodTemplate, 'AWS::CloudFront::ResponseHeadersPolicy');
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    }
    const security = (policy.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: never })
      .SecurityHeadersConfig as {
      ContentSecurityPolicy: { ContentSecurityPolicy: string; Override: boolean };
      StrictTransportSecurity: { AccessControlMaxAgeSec: number; IncludeSubdomains: boolean };
      FrameOptions: { FrameOption: string };
      ReferrerPolicy: { ReferrerPolicy: string };
      ContentTypeOptions: { Override: boolean };
    };
    const csp = Object.fromEntries(
      security.ContentSecurityPolicy.ContentSecurityPolicy.split('; ').map((d) => {
        const [name, ...values] = d.split(' ');
        return [name, values];
      }),
    );
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['connect-src']).toEqual([
      "'self'",
      'https://cognito-idp.eu-west-1.amazonaws.com',
      'https://klantreis-prod-console.auth.eu-west-1.amazoncognito.com',
    ]);
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(365 * 24 * 3600);
    expect(security.StrictTransportSecurity.IncludeSubdomains).toBe(true);
    // The same values the local console server sends.
    expect(security.FrameOptions.FrameOption).toBe(CONSOLE_SECURITY_HEADERS['x-frame-options']);
    expect(security.ReferrerPolicy.ReferrerPolicy).toBe(CONSOLE_SECURITY_HEADERS['referrer-policy']);
    expect(security.ContentTypeOptions.Override).toBe(true);
  });

  it('answers every page of the app with index.html at the edge, but no file and nothing under /api', () => {
    const config = distributionConfig(prodTemplate);
    const [functionId, fn] = only(prodTemplate, 'AWS::CloudFront::Function');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
    ]);
    const api = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*');
    expect(api?.FunctionAssociations).toBeUndefined();
    // The function as CloudFront runs it (cloudfront-js-2.0 is plain JavaScript).
    const handler = new Function(`${fn.Properties.FunctionCode as string}; return handler;`)() as (event: {
      request: { uri: string };
    }) => { uri: string };
    const uriAfter = (uri: string) => handler({ request: { uri } }).uri;
    expect(uriAfter('/customers/c.1')).toBe('/index.html');
    expect(uriAfter('/')).toBe('/index.html');
    expect(uriAfter('/hand-overs')).toBe('/index.html');
    expect(uriAfter('/assets/index-abc123.js')).toBe('/assets/index-abc123.js');
    expect(uriAfter('/console-config.json')).toBe('/console-config.json');
  });

  it('sends /api/* to the console API uncached, with every method and the viewer headers but Host', () => {
    const config = distributionConfig(prodTemplate);
    const api = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*') as Behavior;
    expect(api.ViewerProtocolPolicy).toBe('https-only');
    expect(api.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']);
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // CachingDisabled
    expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // AllViewerExceptHostHeader
    const consoleApiId = logicalIdOf(
      prodTemplate,
      'AWS::ApiGatewayV2::Api',
      'Name',
      'klantreis-prod-console-api',
    );
    const origin = config.Origins.find((o) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(origin?.DomainName)).toContain(`{"Ref":"${consoleApiId}"}`);
    expect(origin?.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
  });

  it('signs people in through the stage’s own user pool: invited only, strong passwords, MFA per stage', () => {
    prodTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'klantreis-prod-console',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      DeletionProtection: 'ACTIVE',
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    devTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      DeletionProtection: 'INACTIVE',
      UserPoolTier: 'ESSENTIALS',
    });
    prodTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'klantreis-prod-console',
    });
    const groups = resourcesOf(prodTemplate, 'AWS::Cognito::UserPoolGroup').map(
      ([, g]) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual(['agent', 'editor', 'viewer']);
  });

  it('gives the browser app a public client: authorization code only (PKCE), no secret, short tokens, back to the console', () => {
    const distributionId = only(prodTemplate, 'AWS::CloudFront::Distribution')[0];
    const [, client] = only(prodTemplate, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: 30,
      IdTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      CallbackURLs: [
        { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/signed-in']] },
      ],
      LogoutURLs: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']] }],
    });
    expect(client.Properties.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(client.Properties.ExplicitAuthFlows).not.toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
  });

  it('serves the console routes, and only those, under /api behind a JWT authorizer for this pool and client', () => {
    const consoleApiId = logicalIdOf(
      prodTemplate,
      'AWS::ApiGatewayV2::Api',
      'Name',
      'klantreis-prod-console-api',
    );
    const poolId = only(prodTemplate, 'AWS::Cognito::UserPool')[0];
    const clientId = only(prodTemplate, 'AWS::Cognito::UserPoolClient')[0];
    const authorizers = resourcesOf(prodTemplate, 'AWS::ApiGatewayV2::Authorizer').filter(
      ([, a]) => JSON.stringify(a.Properties.ApiId) === JSON.stringify({ Ref: consoleApiId }),
    );
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] as [string, Resource];
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: clientId }],
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.eu-west-1.amazonaws.com/', { Ref: poolId }]],
        },
      },
    });
    const consoleRoutes = resourcesOf(prodTemplate, 'AWS::ApiGatewayV2::Route').filter(
      ([, r]) => JSON.stringify(r.Properties.ApiId) === JSON.stringify({ Ref: consoleApiId }),
    );
    expect(consoleRoutes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual(
      consoleSpecs.map((s) => `${s.route?.method} /api${s.route?.path}`).sort(),
    );
    for (const [, route] of consoleRoutes) {
      expect(route.Properties).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      });
    }
    expect(consoleSpecs.length).toBeGreaterThan(0);
  });

  it('leaves the integrating systems’ routes exactly as they were: IAM, or none for the signed links', () => {
    const apiId = logicalIdOf(prodTemplate, 'AWS::ApiGatewayV2::Api', 'Name', 'klantreis-prod-api');
    const routes = resourcesOf(prodTemplate, 'AWS::ApiGatewayV2::Route').filter(
      ([, r]) => JSON.stringify(r.Properties.ApiId) === JSON.stringify({ Ref: apiId }),
    );
    expect(routes).toHaveLength(handlers.filter((h) => 'route' in h).length);
    for (const [, route] of routes) {
      // The signed links, and a short link's code (its own proof).
      const publicRoute = / \/unsubscribe$|^GET \/s\/\{code\}$/.test(String(route.Properties.RouteKey));
      expect(route.Properties.AuthorizationType).toBe(publicRoute ? 'NONE' : 'AWS_IAM');
    }
  });

  it('deploys the built app with its config (the pool and client) and names them in the outputs', () => {
    const poolId = only(prodTemplate, 'AWS::Cognito::UserPool')[0];
    const clientId = only(prodTemplate, 'AWS::Cognito::UserPoolClient')[0];
    const [, deployment] = only(prodTemplate, 'Custom::CDKBucketDeployment');
    expect(deployment.Properties).toMatchObject({ DistributionPaths: ['/*'], Prune: true });
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toContain(`{"Ref":"${poolId}"}`);
    expect(markers).toContain(`{"Ref":"${clientId}"}`);
    const outputs = prodTemplate.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ConsoleUrl', 'ConsoleUserPoolId', 'ConsoleUserPoolClientId']),
    );
  });

  it('tells every function that hands over where the console is, so hand-overs link the customer’s page', () => {
    const distributionId = only(prodTemplate, 'AWS::CloudFront::Distribution')[0];
    // A function a stage deploys only with an inbound email domain is not in prod's stack.
    const handingOver = (handlers as readonly HandlerSpec[]).filter(
      (h) => h.needs?.includes('hand-over') && (prod.inboundEmail || !h.needs.includes('inbound-email')),
    );
    expect(handingOver.length).toBeGreaterThan(0);
    for (const spec of handingOver) {
      prodTemplate.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `klantreis-prod-${spec.id}`,
        Environment: {
          Variables: Match.objectLike({
            CONSOLE_URL: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] },
          }),
        },
      });
    }
  });

  it('leaves the console out of a stage that turns it off', () => {
    const { template } = synthStack(
      { ...dev, console: { ...dev.console, enabled: false } },
      { bundle: false },
    );
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
  });
});
