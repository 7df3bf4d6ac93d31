/**
 * Secrets Manager secrets: the approval link signing key (generated) and one
 * per webhook source (created with a random placeholder; the operator puts
 * the vendor's signing secret in after deploy). Functions find them through
 * `AIOS_SECRET_ARN_<NAME>` (shared/secrets), and only the functions that
 * verify or sign get read access.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { webhookVendors } from '../../events/sources';
import { APPROVAL_LINK_KEY } from '../../shared/approvals/runtime-deps';
import { AUDIT_CHAIN_KEY } from '../../shared/audit/audit-key';
import { secretEnvSuffix } from '../../shared/secrets';

export interface AiosSecretsProps {
  namePrefix: string;
  retainData: boolean;
}

/** The webhook secrets' names (`webhook-stripe`, …, `webhook-generic`), from the event sources module. */
export function webhookSecretNames(): string[] {
  return [...new Set([...webhookVendors([]).values()].map((v) => v.source.secretName))].sort();
}

export class AiosSecrets extends Construct {
  readonly linkKey: secretsmanager.Secret;
  readonly auditKey: secretsmanager.Secret;
  readonly webhooks: ReadonlyMap<string, secretsmanager.Secret>;

  constructor(scope: Construct, id: string, props: AiosSecretsProps) {
    super(scope, id);
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const secret = (constructId: string, name: string, description: string) => {
      const s = new secretsmanager.Secret(this, constructId, {
        secretName: `${props.namePrefix}/${name}`,
        description,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy,
      });
      return s;
    };
    this.linkKey = secret('ApprovalLinkKey', APPROVAL_LINK_KEY, 'Signs approval links (HMAC key). Rotating it invalidates links already emailed.');
    Validations.of(this.linkKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The approval link key signs links that are valid until their approval expires (up to days); automatic rotation would silently invalidate every outstanding approval email. Rotate by hand between approval waves.',
    });
    this.auditKey = secret('AuditChainKey', AUDIT_CHAIN_KEY, 'Keys the audit chain (HMAC): whoever can write the audit table but not read this cannot rewrite a chain.');
    Validations.of(this.auditKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Every audit record ever written is verified with this key; rotating it would make the whole existing audit trail fail verification.',
    });
    const webhooks = new Map<string, secretsmanager.Secret>();
    for (const name of webhookSecretNames()) {
      const s = secret(`Webhook${name.replace(/^webhook-/, '').replace(/(^|[-_.])(\w)/g, (_, __, c: string) => c.toUpperCase())}`, name, `Signing secret of the ${name.replace(/^webhook-/, '')} webhook, issued by the vendor: put its value here after deploy.`);
      Validations.of(s).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: `${name} holds a signing secret issued by the SaaS vendor; Secrets Manager cannot rotate it on the vendor side, so it is rotated in the vendor's console and copied here.`,
      });
      webhooks.set(name, s);
    }
    this.webhooks = webhooks;
  }

  /** Read access to the link key, and its env var. */
  grantLinkKey(grantee: iam.IGrantable): Record<string, string> {
    this.linkKey.grantRead(grantee);
    return { [`AIOS_SECRET_ARN_${secretEnvSuffix(APPROVAL_LINK_KEY)}`]: this.linkKey.secretArn };
  }

  /** Read access to the audit chain key, and its env var (every function that appends audit records). */
  grantAuditKey(grantee: iam.IGrantable): Record<string, string> {
    this.auditKey.grantRead(grantee);
    return { [`AIOS_SECRET_ARN_${secretEnvSuffix(AUDIT_CHAIN_KEY)}`]: this.auditKey.secretArn };
  }

  /** Read access to every webhook secret, and their env vars. */
  grantWebhookSecrets(grantee: iam.IGrantable): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, s] of this.webhooks) {
      s.grantRead(grantee);
      env[`AIOS_SECRET_ARN_${secretEnvSuffix(name)}`] = s.secretArn;
    }
    return env;
  }
}
