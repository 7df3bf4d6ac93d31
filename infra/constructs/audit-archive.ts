/**
 * The audit archive: the audit table's stream (new and old images) delivered
 * by the `audit-archive` function to a bucket with Object Lock in compliance
 * mode, an object per batch the mapping hands it (shared/audit/archive-batch.ts),
 * so a record overwritten or deleted in the table keeps its original
 * for the retention the business sets (no one, root included, can shorten
 * it or delete a locked version). `aios audit verify --archive` compares.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AiosAuditArchiveProps {
  /** Days each archived record is locked (compliance mode). */
  retentionDays: number;
}

export class AiosAuditArchive extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AiosAuditArchiveProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      // Every object version is locked from its creation for the retention, whatever the writer asks.
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Locked objects outlive any stack: the bucket is always retained.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the audit archive function writes here (PutObject, logged in CloudTrail) and Object Lock keeps every version; ' +
        'server access logs would add a second bucket for no reader.',
    });
  }

  /**
   * Feeds the table's stream to the archiver, up to 100 records a batch (one
   * object each). Retried until the records age out of the stream (24 h),
   * split on error, with per-record failures reported (every record of an
   * object whose put failed, and those after it); a redelivered batch,
   * whole or split, is safe because an object's key is its content.
   */
  connect(archiver: lambda.IFunction, table: dynamodb.ITable): lambda.EventSourceMapping | undefined {
    if (!table.tableStreamArn) {
      Validations.of(this).addWarning(
        'AiosAuditArchiveUnfed',
        'the adopted audit table was given without its stream ARN (adoptRetained.auditStream): its writes are not archived',
      );
      return undefined;
    }
    // Granted by the deployment plan's statements (the archiver's role), not by the mapping.
    return new lambda.EventSourceMapping(this, 'FromAuditStream', {
      target: archiver,
      eventSourceArn: table.tableStreamArn,
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
    });
  }
}
