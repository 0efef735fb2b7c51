import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESULT_EVENT_STREAM_FILTER } from '#application/result-event-stream.ts';
import { type HandlerSpec, handlers, resourceName } from '#catalog/catalog.ts';
import { RESULT_EVENT_COLUMNS } from '#core/result-event-record.ts';
import { savedResultsQueries } from '#infra/constructs/results-queries.ts';
import { loadStage } from '#infra/stages.ts';
import { actionsOf, allowing, logicalIdOf, statementsOfFunction, synthStack } from './synth.ts';

const prod = { ...loadStage('prod'), alarmEmail: 'ops@example.com' };
// prod receives no email replies: it has every handler but receive-email-reply.
const prodHandlers = handlers.filter((h) => !(h as HandlerSpec).needs?.includes('inbound-email'));
const dev = loadStage('dev');

// Two synths: prod (the stage's own key, retained) and dev (AWS-managed keys, destroyed with the stack).
let prodTemplate: Template;
let devTemplate: Template;
beforeAll(() => {
  prodTemplate = synthStack(prod, { bundle: false }).template;
  devTemplate = synthStack(dev, { bundle: false }).template;
});

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
const resourcesOf = (template: Template) => template.toJSON().Resources as Resources;
const idOf = (template: Template, type: string, property: string, value: unknown) =>
  logicalIdOf(template, type, property, value);
const keyId = (template: Template) =>
  Object.entries(resourcesOf(template)).find(([, r]) => r.Type === 'AWS::KMS::Key')?.[0] ?? '';
/** The construct's logical id prefix: the stack has other buckets (the console's). */
const OWN = 'ResultsAnalysis';
/** The results bucket and its log bucket. */
const ownBuckets = (template: Template) =>
  Object.entries(
    template.toJSON().Resources as Record<
      string,
      { Type: string; DeletionPolicy?: string; Properties: Record<string, unknown> }
    >,
  ).filter(([id, r]) => r.Type === 'AWS::S3::Bucket' && id.startsWith(OWN));
/** The results bucket: the one with server access logging (the log bucket has none). */
const resultsBucketOf = (template: Template) => {
  const found = ownBuckets(template).find(([, r]) => r.Properties.LoggingConfiguration);
  if (!found) throw new Error('no results bucket');
  return { id: found[0], properties: found[1].Properties };
};

describe('results bucket', () => {
  it('is encrypted with the stage key when the stage has one, with SSE-S3 otherwise', () => {
    expect(resultsBucketOf(prodTemplate).properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [keyId(prodTemplate), 'Arn'] },
          },
        },
      ],
    });
    expect(resultsBucketOf(devTemplate).properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it.each([
    ['prod', () => prodTemplate],
    ['dev', () => devTemplate],
  ])('%s: blocks public access and refuses anything but TLS, on both buckets', (_, template) => {
    const buckets = ownBuckets(template());
    expect(buckets).toHaveLength(2);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      template().hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('logs access to the log bucket and keeps events for the stage’s results retention', () => {
    const { properties } = resultsBucketOf(prodTemplate);
    expect(JSON.stringify(properties.BucketName)).toContain('klantreis-prod-results-');
    expect(properties.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'results/' });
    expect(properties.LifecycleConfiguration).toEqual({
      Rules: expect.arrayContaining([
        { ExpirationInDays: prod.resultsRetentionDays, Prefix: 'events/', Status: 'Enabled' },
        { ExpirationInDays: 30, Prefix: 'athena-results/', Status: 'Enabled' },
      ]),
    });
  });

  it('outlives a retained stage’s stack, and goes with a destroyed one’s', () => {
    const policies = (template: Template) => ownBuckets(template).map(([, r]) => r.DeletionPolicy);
    expect(policies(prodTemplate)).toEqual(['Retain', 'Retain']);
    expect(policies(devTemplate)).toEqual(['Delete', 'Delete']);
    const emptied = (template: Template) =>
      Object.entries(resourcesOf(template)).filter(
        ([id, r]) => r.Type === 'Custom::S3AutoDeleteObjects' && id.startsWith(OWN),
      );
    expect(emptied(devTemplate)).toHaveLength(2);
    expect(emptied(prodTemplate)).toHaveLength(0);
  });
});

describe('Firehose delivery stream', () => {
  it('partitions by the event’s own day, as JSON lines, gzip, buffered 15 minutes or 128 MiB', () => {
    const bucket = resultsBucketOf(prodTemplate).id;
    prodTemplate.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'klantreis-prod-results',
      DeliveryStreamEncryptionConfigurationInput: {
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: { 'Fn::GetAtt': [keyId(prodTemplate), 'Arn'] },
      },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: { 'Fn::GetAtt': [bucket, 'Arn'] },
        Prefix: 'events/day=!{partitionKeyFromQuery:day}/',
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/',
        DynamicPartitioningConfiguration: Match.objectLike({ Enabled: true }),
        BufferingHints: { IntervalInSeconds: 900, SizeInMBs: 128 },
        CompressionFormat: 'GZIP',
        EncryptionConfiguration: {
          KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetAtt': [keyId(prodTemplate), 'Arn'] } },
        },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'MetadataExtraction',
              Parameters: [
                { ParameterName: 'MetadataExtractionQuery', ParameterValue: '{"day":.day}' },
                { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
              ],
            },
            { Type: 'AppendDelimiterToRecord', Parameters: [] },
          ],
        },
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
      }),
    });
    devTemplate.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
    });
  });

  it('may be put to by the results feed only', () => {
    const streamId = idOf(
      prodTemplate,
      'AWS::KinesisFirehose::DeliveryStream',
      'DeliveryStreamName',
      'klantreis-prod-results',
    );
    const putters = prodHandlers.filter(
      (h) =>
        allowing(statementsOfFunction(prodTemplate, resourceName('prod', h.id)), 'firehose:PutRecordBatch')
          .length > 0,
    );
    expect(putters.map((h) => h.id)).toEqual(['ship-result-events']);
    const feed = statementsOfFunction(prodTemplate, resourceName('prod', 'ship-result-events'));
    expect(allowing(feed, 'firehose:PutRecordBatch').map((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [streamId, 'Arn'] },
    ]);
    // No other principal of the stack (roles of functions, state machines, Firehose itself) may put.
    const policies = Object.values(resourcesOf(prodTemplate)).filter((r) => r.Type === 'AWS::IAM::Policy');
    const withPut = policies.filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('firehose:Put'),
    );
    expect(withPut).toHaveLength(1);
  });
});

describe('Glue table and Athena', () => {
  const tableInput = (template: Template) =>
    (Object.values(resourcesOf(template)).find((r) => r.Type === 'AWS::Glue::Table')?.Properties.TableInput ??
      {}) as {
      Name: string;
      PartitionKeys: Array<{ Name: string; Type: string }>;
      Parameters: Record<string, unknown>;
      StorageDescriptor: {
        Columns: Array<{ Name: string; Type: string }>;
        SerdeInfo: unknown;
        Location: unknown;
      };
    };

  it('declares every column of the event records, typed, with the day as the projected partition', () => {
    prodTemplate.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({ Name: 'klantreis_prod_results' }),
    });
    prodTemplate.hasResourceProperties('AWS::Glue::Table', { DatabaseName: 'klantreis_prod_results' });
    const input = tableInput(prodTemplate);
    expect(input.Name).toBe('result_events');
    expect(input.StorageDescriptor.Columns).toEqual(
      Object.entries(RESULT_EVENT_COLUMNS).map(([Name, Type]) => ({ Name, Type })),
    );
    expect(input.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(
      expect.arrayContaining(['event_id', 'kind', 'journey_id', 'experiment_id', 'arm', 'goal_days']),
    );
    expect(input.StorageDescriptor.SerdeInfo).toEqual({
      SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe',
    });
    expect(input.PartitionKeys).toEqual([{ Name: 'day', Type: 'string' }]);
    const bucket = resultsBucketOf(prodTemplate).id;
    expect(input.Parameters).not.toHaveProperty('has_encrypted_data');
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy-MM-dd',
      'projection.day.range': `NOW-${prod.resultsRetentionDays}DAYS,NOW`,
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'storage.location.template': { 'Fn::Join': ['', ['s3://', { Ref: bucket }, `/events/day=\${day}/`]] },
    });
  });

  it('runs queries in a workgroup that enforces encrypted results in the bucket, with a scan limit', () => {
    const bucket = resultsBucketOf(prodTemplate).id;
    prodTemplate.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'klantreis-prod-results',
      RecursiveDeleteOption: false,
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: Match.objectLike({
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, '/athena-results/']] },
          EncryptionConfiguration: {
            EncryptionOption: 'SSE_KMS',
            KmsKey: { 'Fn::GetAtt': [keyId(prodTemplate), 'Arn'] },
          },
        }),
      }),
    });
    devTemplate.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'klantreis-dev-results',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: Match.objectLike({
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } }),
      }),
    });
  });

  it('saves the four queries in the stage’s workgroup and database', () => {
    const saved = Object.values(resourcesOf(prodTemplate))
      .filter((r) => r.Type === 'AWS::Athena::NamedQuery')
      .map((r) => r.Properties);
    expect(saved.map((q) => q.Name).sort()).toEqual(
      ['Conversion per experiment arm', 'Cost per goal reached', 'Days to payment', 'Funnel per step'].map(
        (name) => `klantreis-prod-results: ${name}`,
      ),
    );
    for (const query of saved) {
      expect(query).toMatchObject({
        Database: 'klantreis_prod_results',
        WorkGroup: 'klantreis-prod-results',
      });
      expect(query.QueryString).toContain('"klantreis_prod_results"."result_events"');
    }
    expect(saved.map((q) => q.QueryString)).toEqual(
      expect.arrayContaining(
        savedResultsQueries('"klantreis_prod_results"."result_events"').map((q) => q.sql),
      ),
    );
  });
});

describe('the feed from the table’s stream', () => {
  it('keeps the table (same logical id, one replica) and adds a NEW_IMAGE stream, which updates in place', () => {
    const tables = Object.entries(resourcesOf(prodTemplate)).filter(
      ([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable',
    );
    expect(tables.map(([id]) => id)).toEqual(['TableCD117FA1']);
    const table = tables[0]?.[1].Properties ?? {};
    expect(table.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    // CloudFormation changes a GlobalTable's stream without replacement only while it has one replica.
    expect(table.Replicas).toHaveLength(1);
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('invokes the feed for marker inserts only, reporting batch item failures, with a dead-letter queue', () => {
    const feedId = idOf(
      prodTemplate,
      'AWS::Lambda::Function',
      'FunctionName',
      resourceName('prod', 'ship-result-events'),
    );
    const queueId = idOf(prodTemplate, 'AWS::SQS::Queue', 'QueueName', 'klantreis-prod-results-feed-dlq');
    prodTemplate.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    prodTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: feedId },
      EventSourceArn: { 'Fn::GetAtt': ['TableCD117FA1', 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(RESULT_EVENT_STREAM_FILTER) }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    expect(JSON.parse(JSON.stringify(RESULT_EVENT_STREAM_FILTER))).toEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { itemType: { S: ['result-event'] } } },
    });
    prodTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'klantreis-prod-results-feed-dead-letters',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [Match.anyValue()],
    });
  });

  it('alarms when Firehose cannot deliver to S3 and when the feed falls an hour behind the stream', () => {
    prodTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'klantreis-prod-results-delivery',
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.Success',
      Dimensions: [
        {
          Name: 'DeliveryStreamName',
          Value: {
            Ref: idOf(
              prodTemplate,
              'AWS::KinesisFirehose::DeliveryStream',
              'DeliveryStreamName',
              'klantreis-prod-results',
            ),
          },
        },
      ],
      Statistic: 'Minimum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      AlarmActions: [Match.anyValue()],
    });
    prodTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'klantreis-prod-results-feed-behind',
      MetricName: 'IteratorAge',
      Dimensions: [
        {
          Name: 'FunctionName',
          Value: {
            Ref: idOf(
              prodTemplate,
              'AWS::Lambda::Function',
              'FunctionName',
              resourceName('prod', 'ship-result-events'),
            ),
          },
        },
      ],
      Threshold: 3_600_000,
      AlarmActions: [Match.anyValue()],
    });
  });

  it('lets the feed read the stream and nothing of the table, and no other handler read the stream', () => {
    const streamActions = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
    for (const h of prodHandlers) {
      const statements = statementsOfFunction(prodTemplate, resourceName('prod', h.id));
      const reads = actionsOf(statements).filter((a) =>
        [...streamActions, 'dynamodb:ListStreams'].includes(a),
      );
      if (h.id !== 'ship-result-events') {
        expect(reads, h.id).toEqual([]);
        continue;
      }
      const dynamo = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
      expect(new Set(actionsOf(dynamo))).toEqual(new Set([...streamActions, 'dynamodb:ListStreams']));
      expect(new Set(dynamo.map((s) => JSON.stringify(s.Resource)))).toEqual(
        new Set([JSON.stringify({ 'Fn::GetAtt': ['TableCD117FA1', 'StreamArn'] })]),
      );
      const services = new Set(actionsOf(statements).map((a) => a.split(':')[0]));
      expect(services).toEqual(new Set(['logs', 'xray', 'firehose', 'dynamodb', 'kms', 'sqs']));
    }
  });
});
