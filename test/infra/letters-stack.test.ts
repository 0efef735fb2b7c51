import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceName } from '#catalog/catalog.ts';
import { LETTER_RETENTION_DAYS } from '#infra/constructs/letters.ts';
import { loadStage } from '#infra/stages.ts';
import { actionsOf, statementsOfFunction, synthUnderNag } from './synth.ts';

const prod = loadStage('prod');
let template: Template;
let nagReport: string;

beforeAll(() => {
  const { templates, nagReport: report } = synthUnderNag([prod]);
  [template] = templates as [Template];
  nagReport = report;
}, 600_000);

const lettersBucket = () =>
  Object.values(
    template.findResources('AWS::S3::Bucket', {
      Properties: {
        BucketName: Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith([`${resourceName('prod', 'letters')}-`])]),
        }),
      },
    }),
  )[0];

describe('letters on AWS', () => {
  it('keep the PDFs in an encrypted, private, TLS-only bucket whose objects expire', () => {
    const bucket = lettersBucket();
    expect(bucket).toBeDefined();
    expect(bucket?.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    expect(JSON.stringify(bucket?.Properties?.LifecycleConfiguration)).toContain(
      `"ExpirationInDays":${LETTER_RETENTION_DAYS}`,
    );
  });

  it('let only the posting function write letters, and nothing else of the bucket', () => {
    const statements = statementsOfFunction(template, resourceName('prod', 'post-letters'));
    const s3 = actionsOf(statements).filter((action) => action.startsWith('s3:'));
    expect(s3).toEqual(['s3:PutObject']);
    const put = statements.find((s) => actionsOf([s]).includes('s3:PutObject'));
    expect(JSON.stringify(put?.Resource)).toContain('/letters/*');
    expect(actionsOf(statementsOfFunction(template, resourceName('prod', 'run-journey-step')))).not.toContain(
      's3:PutObject',
    );
  });

  it('post on working days by a schedule that invokes the posting function', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: resourceName('prod', 'post-letters'),
      ScheduleExpression: 'cron(30 13 ? * MON-FRI *)',
    });
  });

  it('keep prod within CloudFormation’s 500 resources per stack', () => {
    const count = Object.keys(template.toJSON().Resources ?? {}).length;
    expect(count).toBeLessThan(500);
  });

  it('pass cdk-nag', () => {
    expect(nagReport).toBe('');
  });
});
