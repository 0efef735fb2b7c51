/**
 * Letters go out through a print-and-mail partner that collects them from the stage's letters bucket:
 * the posting function (post-letters) runs on working days before the partner's collection, lays out
 * the letters the journey steps recorded as PDFs and writes them with a manifest under `letters/`.
 *
 * - The bucket holds names and addresses: encrypted with the stage key (SSE-KMS), no public access,
 *   TLS only, server access logs (who collected what) where the stage keeps them, and every object
 *   expires after `LETTER_RETENTION_DAYS`: the partner has collected it long before.
 * - The function may only put objects under `letters/` and encrypt with the stage key.
 * - The partner's access (its role reading `letters/*`, or a replication) is granted by the operator:
 *   `docs/letters.md#the-partner-collects`.
 */
import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { resourceName } from '#catalog/catalog.ts';
import type { StageConfig } from '../stages.ts';
import type { NodeFunction } from './node-function.ts';
import { privateStageBucket } from './private-bucket.ts';
import { StageEncryption } from './stage-encryption.ts';

/** Where the posting function writes each batch's PDFs and manifest. */
export const LETTERS_PREFIX = 'letters/';
/** Days a letter's PDF stays in the bucket: the partner collects each working day. */
export const LETTER_RETENTION_DAYS = 14;

export interface LettersProps {
  stage: StageConfig;
  /** post-letters. */
  poster: NodeFunction;
  /** The stage's access-log bucket, when it keeps one (the results analysis'). */
  accessLogs?: IBucket;
}

export class Letters extends Construct {
  readonly bucket: Bucket;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: LettersProps) {
    super(scope, id);
    const { stage, poster } = props;
    const stack = Stack.of(this);
    const encryption = StageEncryption.of(this);
    if (!encryption) throw new Error('Letters needs the stage encryption construct first');
    const _retained = stage.removalPolicy === 'retain';

    this.bucket = privateStageBucket(this, 'Bucket', {
      stage,
      name: 'letters',
      key: encryption.key,
      lifecycleRules: [
        { expiration: Duration.days(LETTER_RETENTION_DAYS) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      accessLogs: props.accessLogs && { bucket: props.accessLogs, prefix: 'letters/' },
    });
    if (!props.accessLogs) {
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason:
          'A stage without the results analysis keeps no access-log bucket; the letters expire after two weeks and the partner’s reads are in its own role’s CloudTrail.',
      });
    }

    poster.addEnvironment('LETTERS_BUCKET', this.bucket.bucketName);
    poster.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${LETTERS_PREFIX}*`)],
      }),
    );
    // SSE-KMS asks for a data key per object written: that alone, on the stage key.
    poster.function.addToRolePolicy(
      new PolicyStatement({ actions: ['kms:GenerateDataKey'], resources: [encryption.key.keyArn] }),
    );
    if (poster.function.role) {
      const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnElement);
      Validations.of(poster.function.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${LETTERS_PREFIX}*]`,
        reason:
          'Each letter is its own object under the day’s batch: any object under the letters prefix of this one bucket.',
      });
    }

    // Working days, before the partner's afternoon collection (13:30 UTC: 14:30 or 15:30 in Amsterdam).
    this.schedule = new Rule(this, 'Schedule', {
      ruleName: resourceName(stage.name, 'post-letters'),
      schedule: Schedule.cron({ minute: '30', hour: '13', weekDay: 'MON-FRI' }),
      targets: [new LambdaFunction(poster.function, { retryAttempts: 2, maxEventAge: Duration.hours(2) })],
    });
  }
}
