/**
 * Email replies come in (only for a stage with `inboundEmail`): SES receives the inbound domain's
 * mail (its MX record points at `inbound-smtp.<region>.amazonaws.com`) by a receipt rule that stores
 * each message in the replies bucket, whose object-created event invokes receive-email-reply.
 *
 * - The bucket holds raw mail, personal data: encrypted at rest with the stage key (SSE-KMS, which
 *   SES may use for this account's writes only), no public access, TLS only, and every object
 *   expires after `inboundEmail.retentionDays`; the handler deletes each message it has handled,
 *   so only one it failed on waits there (for a retry, or an operator) until then. Not the receipt
 *   action's own `kmsKey`: that encrypts on SES's side with the S3 encryption client, which the
 *   handler would need to read it.
 * - The receipt rule set is created inactive: one rule set per account and region receives mail,
 *   so activating it is the operator's step (`docs/operating.md#email-replies`).
 */
import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { S3 } from 'aws-cdk-lib/aws-ses-actions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resourceName } from '#catalog/catalog.ts';
import type { StageConfig } from '../stages.ts';
import { privateStageBucket } from './private-bucket.ts';
import { queueDestination, StageEncryption } from './stage-encryption.ts';

/** Where SES puts each message in the bucket; the handler is invoked for these keys only. */
export const INBOUND_MAIL_PREFIX = 'inbound/';

export interface EmailRepliesProps {
  stage: StageConfig & { inboundEmail: NonNullable<StageConfig['inboundEmail']> };
  /** receive-email-reply. */
  handler: IFunction;
  /** Where an event the handler failed on lands after its retries (the feedback dead-letter queue). */
  deadLetterQueue: IQueue;
}

export class EmailReplies extends Construct {
  readonly bucket: Bucket;
  readonly ruleSet: ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: EmailRepliesProps) {
    super(scope, id);
    const { stage, handler } = props;
    const stack = Stack.of(this);
    const encryption = StageEncryption.of(this);
    if (!encryption) throw new Error('EmailReplies needs the stage encryption construct first');
    const _retained = stage.removalPolicy === 'retain';

    this.bucket = privateStageBucket(this, 'Bucket', {
      stage,
      name: 'email-replies',
      key: encryption.key,
      lifecycleRules: [
        { expiration: Duration.days(stage.inboundEmail.retentionDays) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      autoDeleteObjects: true,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Written only by SES receiving and read and deleted only by receive-email-reply; each object lives minutes, at most the retention days. Access logs would copy who-wrote-what metadata of personal mail into a second bucket.',
    });
    // SES writes under the bucket's default encryption: it needs the stage key, for this account only.
    encryption.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SesReceivingEncryptsReplies',
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Encrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );

    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet', {
      receiptRuleSetName: resourceName(stage.name, 'email-replies'),
      rules: [
        {
          receiptRuleName: resourceName(stage.name, 'email-replies'),
          // The whole domain: SES matches no `reply+*` pattern; the handler takes only `reply+<token>@`.
          recipients: [stage.inboundEmail.domain],
          scanEnabled: true,
          tlsPolicy: TlsPolicy.REQUIRE,
          actions: [new S3({ bucket: this.bucket, objectKeyPrefix: INBOUND_MAIL_PREFIX })],
        },
      ],
    });

    // Exactly reading and deleting what SES stored, and decrypting it.
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:DeleteObject'],
        resources: [this.bucket.arnForObjects(`${INBOUND_MAIL_PREFIX}*`)],
      }),
    );
    encryption.key.grantDecrypt(handler);
    if (handler.role) {
      const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as CfnElement);
      Validations.of(handler.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${INBOUND_MAIL_PREFIX}*]`,
        reason:
          'SES names each stored message itself: any object under the replies prefix of this one bucket.',
      });
    }
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(handler), {
      prefix: INBOUND_MAIL_PREFIX,
    });
    // CDK's own handler that configures the bucket's notifications (once per stack).
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('BucketNotificationsHandler')) continue;
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK’s provider that sets the bucket notification at deploy time; it only writes its own logs.',
      });
    }
    // A message the handler failed on is retried twice, then its event goes to the dead-letter queue.
    handler.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: queueDestination(props.deadLetterQueue),
    });
  }
}
