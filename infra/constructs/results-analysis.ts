/**
 * Analysis beyond the aggregates, per stage: every counted result event (the recorder's marker
 * items) flows from the table's stream through the feed function into a Firehose delivery stream,
 * which writes JSON lines to S3 partitioned by the event's day (`events/day=YYYY-MM-DD/`). A Glue
 * table over them (partition projection on `day`: no crawler) and an Athena workgroup with saved
 * queries make them queryable with the SQL users already have on AWS.
 *
 * - The bucket: the stage key when it has one (else SSE-S3), TLS only, no public access, server
 *   access logs to a log bucket, events kept for the stage's `resultsRetentionDays`.
 * - Firehose partitions on the event's own `day` (dynamic partitioning), not on its arrival time, so a
 *   partition holds exactly the events the aggregates count for that day, even when one arrives late
 *   (docs/decisions/results-events-partitioned-by-event-day.md).
 * - The feed: a Lambda event source on the table's stream (NEW_IMAGE) with a filter that admits marker
 *   inserts only; batch item failures are retried (bisecting), then the batch's place in the stream
 *   goes to a dead-letter queue with an alarm. Only the feed may put to the delivery stream.
 */
import { type CfnElement, Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import {
  AppendDelimiterToRecordProcessor,
  Compression,
  DeliveryStream,
  EnableLogging,
  MetadataExtractionProcessor,
  S3Bucket,
  StreamEncryption,
} from 'aws-cdk-lib/aws-kinesisfirehose';
import { EventSourceMapping, FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RESULT_EVENT_STREAM_FILTER } from '#application/result-event-stream.ts';
import { resourceName } from '#catalog/catalog.ts';
import { RESULT_EVENT_COLUMNS, RESULT_EVENT_PARTITION_KEY } from '#core/result-event-record.ts';
import type { StageConfig } from '../stages.ts';
import { deadLetterAlarm } from './dead-letter-alarm.ts';
import type { NodeFunction } from './node-function.ts';
import { privateStageBucket } from './private-bucket.ts';
import { savedResultsQueries } from './results-queries.ts';
import { grantQueueSend, StageEncryption, stageLogGroup, stageQueue } from './stage-encryption.ts';

/** Where in the bucket each kind of object lives. */
export const RESULTS_BUCKET_PREFIX = {
  events: 'events/',
  /** Records Firehose could not partition or deliver, by error type. */
  errors: 'errors/',
  athena: 'athena-results/',
} as const;

/** The Glue table of the counted events. */
export const RESULT_EVENTS_TABLE = 'result_events';
/** Days Athena keeps query results: re-running a saved query is cheap, its old answers are not needed. */
export const ATHENA_RESULTS_DAYS = 30;
/** Most one query may scan: a runaway query stops at 10 GiB (about $0.05), not at the whole bucket. */
export const ATHENA_SCAN_LIMIT_BYTES = 10 * 1024 ** 3;

/** The Glue database name of a stage: Athena names allow no hyphens. */
export function resultsDatabaseName(stage: string): string {
  return resourceName(stage, 'results').replaceAll('-', '_');
}

export interface ResultsAnalysisProps {
  stage: StageConfig;
  /** The stage table: its stream (NEW_IMAGE) carries the marker items. */
  table: TableV2;
  /** The ship-result-events function. */
  feed: NodeFunction;
  alarmTopic?: ITopic;
}

export class ResultsAnalysis extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly deliveryStream: DeliveryStream;
  readonly database: CfnDatabase;
  readonly eventsTable: CfnTable;
  readonly workGroup: CfnWorkGroup;
  readonly namedQueries: CfnNamedQuery[];
  readonly feedMapping: EventSourceMapping;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  /** Firehose could not write to the bucket: it retries for a day, then the data is gone. */
  readonly deliveryAlarm: Alarm;
  /** The feed falls behind the table's stream, which keeps records for a day only. */
  readonly feedBehindAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ResultsAnalysisProps) {
    super(scope, id);
    const { stage, table, feed } = props;
    const stack = Stack.of(this);
    const key = StageEncryption.of(this)?.dataKey;
    const retained = stage.removalPolicy === 'retain';
    const removalPolicy = retained ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const retentionDays = stage.resultsRetentionDays;

    // Server access logs cannot go to a KMS-encrypted bucket: this one keeps SSE-S3.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      bucketName: `${resourceName(stage.name, 's3-logs')}-${stack.account}-${stack.region}`,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ expiration: Duration.days(stage.logRetentionDays) }],
      removalPolicy,
      autoDeleteObjects: !retained,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server access log bucket of the results bucket; logging it into itself would loop.',
    });

    this.bucket = privateStageBucket(this, 'Bucket', {
      stage,
      name: 'results',
      key,
      accessLogs: { bucket: this.accessLogs, prefix: 'results/' },
      lifecycleRules: [
        { prefix: RESULTS_BUCKET_PREFIX.events, expiration: Duration.days(retentionDays) },
        { prefix: RESULTS_BUCKET_PREFIX.errors, expiration: Duration.days(retentionDays) },
        { prefix: RESULTS_BUCKET_PREFIX.athena, expiration: Duration.days(ATHENA_RESULTS_DAYS) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      autoDeleteObjects: true,
    });

    const deliveryLogs = stageLogGroup(this, 'DeliveryLogs', stage, {
      logGroupName: `/aws/kinesisfirehose/${resourceName(stage.name, 'results')}`,
    });
    this.deliveryStream = new DeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: resourceName(stage.name, 'results'),
      encryption: key ? StreamEncryption.customerManagedKey(key) : StreamEncryption.awsOwnedKey(),
      destination: new S3Bucket(this.bucket, {
        dataOutputPrefix: `${RESULTS_BUCKET_PREFIX.events}${RESULT_EVENT_PARTITION_KEY}=!{partitionKeyFromQuery:${RESULT_EVENT_PARTITION_KEY}}/`,
        errorOutputPrefix: `${RESULTS_BUCKET_PREFIX.errors}!{firehose:error-output-type}/!{timestamp:yyyy-MM-dd}/`,
        dynamicPartitioning: { enabled: true, retryDuration: Duration.hours(1) },
        processors: [
          MetadataExtractionProcessor.jq16({
            [RESULT_EVENT_PARTITION_KEY]: `.${RESULT_EVENT_PARTITION_KEY}`,
          }),
          // One JSON object per line: what the Glue table's JSON SerDe reads.
          new AppendDelimiterToRecordProcessor(),
        ],
        // Analysis is not live (the API's aggregates are): fewer, larger objects scan cheaper.
        bufferingInterval: Duration.minutes(15),
        bufferingSize: Size.mebibytes(128),
        compression: Compression.GZIP,
        fileExtension: '.json.gz',
        ...(key ? { encryptionKey: key } : {}),
        loggingConfig: new EnableLogging(deliveryLogs),
      }),
    });

    // Its two roles, as the S3 destination and the stream encryption grant them, on this bucket and key only.
    const grants = {
      's3:GetObject*': 'Firehose reads back its own multipart uploads',
      's3:GetBucket*': 'Firehose checks the bucket (location, encryption) before writing',
      's3:List*': 'Firehose lists its multipart uploads to complete or abort them',
      's3:DeleteObject*': 'Firehose removes a partial object it failed to complete',
      's3:Abort*': 'Firehose aborts a multipart upload it cannot finish',
      'kms:GenerateDataKey*': 'Firehose encrypts the stream buffer and the objects with the stage key',
      'kms:ReEncrypt*': 'Firehose re-encrypts its buffered data under the stage key',
    };
    for (const [action, why] of Object.entries(grants)) {
      Validations.of(this.deliveryStream).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${why}: granted by aws-cdk-lib's Firehose S3 destination, on the results bucket (and the stage key) only.`,
      });
    }
    Validations.of(this.deliveryStream).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*]`,
      reason:
        'Firehose writes objects under prefixes it names at delivery time (one per day): any object of this one bucket.',
    });

    const databaseName = resultsDatabaseName(stage.name);
    this.database = new CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: databaseName,
        description: `Klantreis ${stage.name}: counted result events (outcomes, deliveries, cost) for analysis`,
      },
    });
    const eventsLocation = `s3://${this.bucket.bucketName}/${RESULTS_BUCKET_PREFIX.events}`;
    this.eventsTable = new CfnTable(this, 'EventsTable', {
      catalogId: stack.account,
      databaseName,
      tableInput: {
        name: RESULT_EVENTS_TABLE,
        description: 'One row per counted result event, each at least once (deduplicate on event_id).',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: RESULT_EVENT_PARTITION_KEY, type: 'string' }],
        parameters: {
          classification: 'json',
          compressionType: 'gzip',
          // SSE-S3 or SSE-KMS objects: S3 decrypts them for Athena (`has_encrypted_data` means client-side).
          // Partition projection: Athena derives each day's location, so no crawler or partition list.
          'projection.enabled': 'true',
          [`projection.${RESULT_EVENT_PARTITION_KEY}.type`]: 'date',
          [`projection.${RESULT_EVENT_PARTITION_KEY}.format`]: 'yyyy-MM-dd',
          [`projection.${RESULT_EVENT_PARTITION_KEY}.range`]: `NOW-${retentionDays}DAYS,NOW`,
          [`projection.${RESULT_EVENT_PARTITION_KEY}.interval`]: '1',
          [`projection.${RESULT_EVENT_PARTITION_KEY}.interval.unit`]: 'DAYS',
          'storage.location.template': `${eventsLocation}${RESULT_EVENT_PARTITION_KEY}=\${${RESULT_EVENT_PARTITION_KEY}}/`,
        },
        storageDescriptor: {
          location: eventsLocation,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          // The Hive JSON SerDe: Athena's deterministic reader for one JSON object per line.
          serdeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
          compressed: true,
          columns: Object.entries(RESULT_EVENT_COLUMNS).map(([name, type]) => ({ name, type })),
        },
      },
    });
    this.eventsTable.addResourceDependency(this.database);

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: resourceName(stage.name, 'results'),
      description: `Klantreis ${stage.name}: queries over the counted result events (${databaseName}.${RESULT_EVENTS_TABLE})`,
      state: 'ENABLED',
      // A destroyed stage takes its query history with it; a retained one keeps it.
      recursiveDeleteOption: !retained,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: ATHENA_SCAN_LIMIT_BYTES,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/${RESULTS_BUCKET_PREFIX.athena}`,
          expectedBucketOwner: stack.account,
          encryptionConfiguration: key
            ? { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn }
            : { encryptionOption: 'SSE_S3' },
        },
      },
    });
    const qualifiedTable = `"${databaseName}"."${RESULT_EVENTS_TABLE}"`;
    this.namedQueries = savedResultsQueries(qualifiedTable).map((query) => {
      const saved = new CfnNamedQuery(this, `Query-${query.id}`, {
        name: `${resourceName(stage.name, 'results')}: ${query.name}`,
        description: query.description,
        database: databaseName,
        workGroup: this.workGroup.name,
        queryString: query.sql,
      });
      saved.addResourceDependency(this.workGroup);
      return saved;
    });

    // The feed: only it may put to the delivery stream, and it reads the table's stream, not the table.
    feed.addEnvironment('RESULTS_DELIVERY_STREAM', this.deliveryStream.deliveryStreamName);
    this.deliveryStream.grantPutRecords(feed.function);
    table.grantStreamRead(feed.function);
    this.deadLetterQueue = stageQueue(this, 'DeadLetterQueue', stage, {
      queueName: resourceName(stage.name, 'results-feed-dlq'),
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the results feed (the stream batches it gave up on), and alarmed on.',
    });
    const tableStreamArn = table.tableStreamArn;
    if (!tableStreamArn)
      throw new Error('ResultsAnalysis: the table needs a NEW_IMAGE stream (dynamoStream)');
    const onFailure = this.deadLetterQueue;
    grantQueueSend(onFailure, feed.function);
    this.feedMapping = new EventSourceMapping(this, 'FeedMapping', {
      target: feed.function,
      eventSourceArn: tableStreamArn,
      // From the oldest record the stream keeps (24 hours): a new or re-created mapping misses none.
      startingPosition: StartingPosition.TRIM_HORIZON,
      filters: [FilterCriteria.filter(RESULT_EVENT_STREAM_FILTER)],
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(30),
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: 10,
      maxRecordAge: Duration.days(1),
      onFailure: { bind: () => ({ destination: onFailure.queueArn }) },
    });
    // The mapping checks at creation that the role may read the stream.
    this.feedMapping.node.addDependency(feed.role);

    // A batch of counted events that never reached S3 leaves analysis short of them: one is enough.
    this.deadLetterAlarm = deadLetterAlarm(this, 'DeadLetterAlarm', {
      queue: this.deadLetterQueue,
      alarmName: resourceName(stage.name, 'results-feed-dead-letters'),
      description: `Counted result events could not be shipped to S3 in ${stage.name}: see the results-feed dead-letter queue (it names the stream shard and sequence numbers).`,
      alarmTopic: props.alarmTopic,
    });

    this.deliveryAlarm = new Alarm(this, 'DeliveryAlarm', {
      alarmName: resourceName(stage.name, 'results-delivery'),
      alarmDescription: `Firehose could not deliver counted result events to S3 in ${stage.name} (it retries for 24 hours, then drops them): see its log group ${deliveryLogs.logGroupName}.`,
      metric: new Metric({
        namespace: 'AWS/Firehose',
        metricName: 'DeliveryToS3.Success',
        dimensionsMap: { DeliveryStreamName: this.deliveryStream.deliveryStreamName },
        statistic: 'Minimum',
        period: Duration.minutes(15),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      // Firehose reports only when it delivers: no data is no failure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.feedBehindAlarm = new Alarm(this, 'FeedBehindAlarm', {
      alarmName: resourceName(stage.name, 'results-feed-behind'),
      alarmDescription: `The results feed in ${stage.name} is over an hour behind the table's stream, which keeps records 24 hours: see ${resourceName(stage.name, 'ship-result-events')}'s logs.`,
      metric: feed.function.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5) }),
      threshold: Duration.hours(1).toMilliseconds(),
      evaluationPeriods: 3,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) {
      for (const alarm of [this.deliveryAlarm, this.feedBehindAlarm]) {
        alarm.addAlarmAction(new SnsAction(props.alarmTopic));
      }
    }
  }
}
