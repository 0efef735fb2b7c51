import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceName } from '#catalog/catalog.ts';
import { loadStage } from '#infra/stages.ts';
import { actionsOf, statementsOfFunction, synthUnderNag } from './synth.ts';

// dev receives replies (`inboundEmail`); prod does not.
const dev = loadStage('dev');
const prod = loadStage('prod');
let devTemplate: Template;
let prodTemplate: Template;
let nagReport: string;

beforeAll(() => {
  const { templates, nagReport: report } = synthUnderNag([dev, prod]);
  [devTemplate, prodTemplate] = templates as [Template, Template];
  nagReport = report;
}, 600_000);

describe('email replies on AWS', () => {
  it('keep raw mail in an encrypted, private, TLS-only bucket whose objects expire', () => {
    devTemplate.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })]),
      },
    });
  });

  it('receive the inbound domain’s mail into the bucket by an SES receipt rule, scanned, over TLS', () => {
    devTemplate.hasResourceProperties('AWS::SES::ReceiptRuleSet', {
      RuleSetName: 'klantreis-dev-email-replies',
    });
    devTemplate.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({
        Recipients: ['replies.example.com'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [{ S3Action: Match.objectLike({ ObjectKeyPrefix: 'inbound/' }) }],
      }),
    });
  });

  it('let receive-email-reply read and delete the raw mail, and tell it the domain', () => {
    const actions = actionsOf(statementsOfFunction(devTemplate, resourceName('dev', 'receive-email-reply')));
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject', 's3:DeleteObject', 'kms:Decrypt']));
    expect(actions.some((a) => a.startsWith('s3:Put'))).toBe(false);
    devTemplate.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: resourceName('dev', 'receive-email-reply'),
      Environment: { Variables: Match.objectLike({ EMAIL_REPLY_DOMAIN: 'replies.example.com' }) },
    });
    devTemplate.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: resourceName('dev', 'run-journey-step'),
      Environment: {
        Variables: Match.objectLike({
          EMAIL_REPLY_DOMAIN: 'replies.example.com',
          EMAIL_REPLY_TO: 'service@example.com',
        }),
      },
    });
  });

  it('exist only in a stage with an inbound domain', () => {
    expect(Object.keys(prodTemplate.findResources('AWS::SES::ReceiptRuleSet'))).toEqual([]);
    expect(
      Object.values(prodTemplate.findResources('AWS::Lambda::Function')).some(
        (r) => r.Properties?.FunctionName === resourceName('prod', 'receive-email-reply'),
      ),
    ).toBe(false);
  });

  it('pass cdk-nag', () => {
    expect(nagReport).toBe('');
  });
});
