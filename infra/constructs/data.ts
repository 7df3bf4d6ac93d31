/**
 * The three tables (knowledge, state, audit): on demand, point-in-time
 * recovery, KMS encryption, retained by default. Who may do what on them
 * is the deployment plan's (shared/deployment/statements.ts).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLES, type TableId } from '../../shared/tables';

/** Items of the state table carrying this attribute (epoch seconds) are removed by DynamoDB after that time. */
export const STATE_TTL_ATTRIBUTE = 'expiresAt';

export interface AiosDataProps {
  retainData: boolean;
  /** Tables a destroyed deployment retained, to use instead of new ones. */
  adoptRetained?: Readonly<Record<TableId, string>> & { auditStream?: string };
}

export class AiosData extends Construct {
  readonly tables: Readonly<Record<TableId, dynamodb.ITable>>;

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
        ...(name === 'State' ? { timeToLiveAttribute: STATE_TTL_ATTRIBUTE } : {}),
        // Every audit write, with what it replaced, goes to the Object Lock archive (./audit-archive.ts).
        ...(name === 'Audit' ? { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      });
    const adopted = props.adoptRetained;
    const tableOf = (name: string, id: TableId) => {
      if (!adopted) return table(name);
      const streamArn = id === 'audit' ? adopted.auditStream : undefined;
      return streamArn
        ? dynamodb.Table.fromTableAttributes(this, name, { tableName: adopted[id], tableStreamArn: streamArn })
        : dynamodb.Table.fromTableName(this, name, adopted[id]);
    };
    this.tables = { knowledge: tableOf('Knowledge', 'knowledge'), state: tableOf('State', 'state'), audit: tableOf('Audit', 'audit') };
  }

  /** The env vars naming the given tables (AIOS_TABLE_*). */
  environment(ids: readonly TableId[]): Record<string, string> {
    return Object.fromEntries(ids.map((id) => [TABLES[id].env, this.tables[id].tableName]));
  }
}
