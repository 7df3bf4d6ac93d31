/**
 * The audit archive (the audit table's stream → the archiver → an Object Lock
 * bucket in compliance mode) and the approval reconciler's schedule, on the
 * synthesized stack: what each role may do, and nothing more.
 */
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import exampleOs from '../../examples/kestrel-coffee';
import { loadValidOs } from '../../shared/definition';
import { AiosStack } from '../../infra/aios-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const os = loadValidOs(exampleOs);
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new AiosStack(app, 'Aios', { os, env: { account: '123456789012', region: 'us-east-1' }, settings: { auditRetentionDays: 400 } });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Json>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const fnNamed = (name: string) => ofType('AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === name)!;
const roleOf = (fnId: string) => (resources[fnId].Properties.Role as Json)['Fn::GetAtt'][0] as string;
function statementsOf(roleId: string): Json[] {
  const out: Json[] = [];
  for (const [, p] of ofType('AWS::IAM::Policy'))
    if ((p.Properties.Roles as Json[]).some((r) => r.Ref === roleId)) out.push(...p.Properties.PolicyDocument.Statement);
  return out;
}
const archiveBucketId = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('AuditArchive'))![0];
const auditTableId = ofType('AWS::DynamoDB::Table').find(([id]) => id.startsWith('DataAudit'))![0];

describe('the audit archive', () => {
  it('is a bucket with Object Lock, default retention in compliance mode for the days set, private, TLS only and retained', () => {
    const bucket = resources[archiveBucketId];
    expect(bucket.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket).includes(archiveBucketId))!;
    expect(JSON.stringify(policy)).toContain('aws:SecureTransport');
  });

  it('is fed by the audit table stream (new and old images) through an event source mapping to the archiver', () => {
    expect(resources[auditTableId].Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const others = ofType('AWS::DynamoDB::Table').filter(([id]) => id !== auditTableId);
    for (const [, t] of others) expect(t.Properties.StreamSpecification).toBeUndefined();
    const [archiverId] = fnNamed('aios-audit-archive');
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(1);
    expect(mappings[0][1].Properties).toMatchObject({
      FunctionName: { Ref: archiverId },
      EventSourceArn: { 'Fn::GetAtt': [auditTableId, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(resources[archiverId].Properties.Environment.Variables.AIOS_AUDIT_ARCHIVE_BUCKET).toEqual({ Ref: archiveBucketId });
  });

  it("gives the archiver's role the stream read and PutObject under audit/ of that bucket only", () => {
    const statements = statementsOf(roleOf(fnNamed('aios-audit-archive')[0]));
    const byAction = (action: string) => statements.filter((s) => list(s.Action).includes(action));
    expect(byAction('s3:PutObject').map((s) => s.Resource)).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [archiveBucketId, 'Arn'] }, '/audit/*']] }]);
    for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']) {
      expect(byAction(action).map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [auditTableId, 'StreamArn'] }]);
    }
    expect(byAction('dynamodb:ListStreams').map((s) => s.Resource)).toEqual(['*']);
    const actions = new Set(statements.flatMap((s) => list(s.Action as string | string[])));
    expect([...actions].sort()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutObject',
    ]);
    // Nothing else may write, delete or change retention in the archive.
    const elsewhere = ofType('AWS::IAM::Policy').filter(
      ([, p]) => JSON.stringify(p).includes(archiveBucketId) && !(p.Properties.Roles as Json[]).some((r) => r.Ref === roleOf(fnNamed('aios-audit-archive')[0])),
    );
    expect(elsewhere).toEqual([]);
  });

  it('is named in the outputs, and cdk-nag finds nothing unacknowledged', () => {
    template.hasOutput('AuditArchiveBucketName', { Value: { Ref: archiveBucketId } });
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });
});

describe('the approval reconciler', () => {
  it('runs every five minutes on an EventBridge Scheduler schedule whose role may invoke only it', () => {
    const [fnId] = fnNamed('aios-approval-reconcile');
    const schedule = ofType('AWS::Scheduler::Schedule').find(([, s]) => s.Properties.Name === 'aios-approval-reconcile')!;
    expect(schedule[1].Properties).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED', Target: { Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } } });
    const scheduleRole = (schedule[1].Properties.Target.RoleArn as Json)['Fn::GetAtt'][0] as string;
    const statements = statementsOf(scheduleRole);
    expect(statements.flatMap((s) => list(s.Action))).toEqual(['lambda:InvokeFunction']);
    const named = JSON.stringify(statements.map((s) => s.Resource)).match(/"Fn::GetAtt":\["([^"]+)"/g) ?? [];
    expect(new Set(named)).toEqual(new Set([`"Fn::GetAtt":["${fnId}"`]));
  });

  it('holds what finishing a decision needs: the state table (no scan), appending audit, answering task tokens', () => {
    const statements = statementsOf(roleOf(fnNamed('aios-approval-reconcile')[0]));
    const actions = new Set(statements.flatMap((s) => list(s.Action as string | string[])));
    expect(actions.has('states:SendTaskSuccess')).toBe(true);
    expect(actions.has('dynamodb:DeleteItem')).toBe(true);
    for (const absent of ['dynamodb:Scan', 'ses:SendEmail', 'events:PutEvents', 'bedrock:InvokeModel', 's3:PutObject']) expect(actions.has(absent)).toBe(false);
    const audit = statements.filter((s) => JSON.stringify(s.Resource).includes(auditTableId));
    expect(audit.flatMap((s) => list(s.Action)).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
  });
});
