import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  type LifecycleRule,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { resourceName } from '#catalog/catalog.ts';
import type { StageConfig } from '../stages.ts';

export interface PrivateBucketProps {
  stage: Pick<StageConfig, 'name' | 'removalPolicy'>;
  /** The bucket's part of its name: `<stage resource name>-<account>-<region>`. */
  name: string;
  /** The stage key (SSE-KMS with a bucket key); without one, SSE-S3. */
  key: IKey | undefined;
  lifecycleRules: LifecycleRule[];
  /** Server access logs, where the stage keeps them. */
  accessLogs?: { bucket: IBucket; prefix: string } | undefined;
  /** Empty the bucket when a stage that does not retain its data is destroyed. */
  autoDeleteObjects?: boolean;
}

/**
 * A bucket of a stage that holds personal or business data: encrypted, no public access, TLS only,
 * objects owned by the bucket's account, kept on stack deletion where the stage retains its data.
 */
export function privateStageBucket(scope: Construct, id: string, props: PrivateBucketProps): Bucket {
  const stack = Stack.of(scope);
  const retained = props.stage.removalPolicy === 'retain';
  return new Bucket(scope, id, {
    bucketName: `${resourceName(props.stage.name, props.name)}-${stack.account}-${stack.region}`,
    ...(props.key
      ? { encryption: BucketEncryption.KMS, encryptionKey: props.key, bucketKeyEnabled: true }
      : { encryption: BucketEncryption.S3_MANAGED }),
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: props.lifecycleRules,
    ...(props.accessLogs
      ? { serverAccessLogsBucket: props.accessLogs.bucket, serverAccessLogsPrefix: props.accessLogs.prefix }
      : {}),
    removalPolicy: retained ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    ...(props.autoDeleteObjects && !retained ? { autoDeleteObjects: true } : {}),
  });
}
