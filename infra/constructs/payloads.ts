/**
 * The bucket of webhook deliveries too big to travel in an event: encrypted,
 * TLS only, never public, each object expiring after the days set (the run
 * that needed it is long over by then).
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AiosPayloadsProps {
  retainData: boolean;
  /** Days an object is kept. */
  expireDays: number;
}

export class AiosPayloads extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AiosPayloadsProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.expireDays) }],
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the webhook ingest function writes here (its role, logged in CloudTrail) and the objects expire; server access logs would add a second bucket for no reader.',
    });
  }
}
