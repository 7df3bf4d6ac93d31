/**
 * The three tables (knowledge, state, audit): on demand, point-in-time
 * recovery, KMS encryption, retained by default. Grants are narrow: the
 * audit table is append-only for every writer (no UpdateItem, DeleteItem or
 * BatchWriteItem is ever granted on it).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLES, type TableId } from '../../shared/tables';

export interface AiosDataProps {
  retainData: boolean;
}

const READ = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
/** Everything an audit writer needs: the conditional put of a record and reading the chain's end. */
export const AUDIT_APPEND_ACTIONS = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'];

export class AiosData extends Construct {
  readonly tables: Readonly<Record<TableId, dynamodb.Table>>;

  constructor(scope: Construct, id: string, props: AiosDataProps) {
    super(scope, id);
    const table = (name: string) =>
      new dynamodb.Table(this, name, {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
        sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        deletionProtection: props.retainData,
        removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
    this.tables = { knowledge: table('Knowledge'), state: table('State'), audit: table('Audit') };
  }

  /** The env vars naming the given tables (AIOS_TABLE_*). */
  environment(ids: readonly TableId[]): Record<string, string> {
    return Object.fromEntries(ids.map((id) => [TABLES[id].env, this.tables[id].tableName]));
  }

  grantRead(id: Exclude<TableId, 'audit'>, grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: READ, resources: [this.tables[id].tableArn] }));
  }

  grantReadWrite(id: Exclude<TableId, 'audit'>, grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...READ, ...WRITE], resources: [this.tables[id].tableArn] }));
  }

  /** Append-only access to the audit table: put new records, read the chain's end. */
  grantAuditAppend(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: AUDIT_APPEND_ACTIONS, resources: [this.tables.audit.tableArn] }));
  }
}
