/**
 * Secrets Manager secrets: the approval link signing key and the audit chain key (generated) and one
 * per webhook source (created with a random placeholder; the operator puts
 * the vendor's signing secret in after deploy). Functions find them through
 * `AIOS_SECRET_ARN_<NAME>` (shared/secrets); the deployment plan says which
 * functions may read them.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { webhookVendors } from '../../events/sources';
import { APPROVAL_LINK_SECRET as APPROVAL_LINK_KEY } from '../../shared/deployment/statements';
import { AUDIT_CHAIN_KEY } from '../../shared/audit/audit-key';
import { secretEnvSuffix } from '../../shared/secrets';

export interface AiosSecretsProps {
  namePrefix: string;
  retainData: boolean;
  /** Use the secrets a destroyed deployment with this prefix retained, instead of creating them. */
  adoptRetained?: boolean;
}

/** The webhook secrets' names (`webhook-stripe`, …, `webhook-generic`), from the event sources module. */
export function webhookSecretNames(): string[] {
  return [...new Set([...webhookVendors([]).values()].map((v) => v.source.secretName))].sort();
}

const pascal = (name: string) => name.replace(/(^|[-_.])(\w)/g, (_, __, c: string) => c.toUpperCase());

export class AiosSecrets extends Construct {
  readonly linkKey: secretsmanager.ISecret;
  readonly auditKey: secretsmanager.ISecret;
  readonly webhooks: ReadonlyMap<string, secretsmanager.ISecret>;
  private readonly adopted: boolean;
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: AiosSecretsProps) {
    super(scope, id);
    this.adopted = props.adoptRetained ?? false;
    this.namePrefix = props.namePrefix;
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const secret = (constructId: string, name: string, description: string, nagReason: string): secretsmanager.ISecret => {
      // A retained secret keeps its name: creating it again would fail, so a redeploy adopts it.
      if (this.adopted) return secretsmanager.Secret.fromSecretNameV2(this, constructId, `${props.namePrefix}/${name}`);
      const s = new secretsmanager.Secret(this, constructId, {
        secretName: `${props.namePrefix}/${name}`,
        description,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy,
      });
      Validations.of(s).acknowledge({ id: 'AwsSolutions-SMG4', reason: nagReason });
      return s;
    };
    this.linkKey = secret(
      'ApprovalLinkKey',
      APPROVAL_LINK_KEY,
      'Signs approval links (HMAC key). Rotating it invalidates links already emailed.',
      'The approval link key signs links that are valid until their approval expires (up to days); automatic rotation would silently invalidate every outstanding approval email. Rotate by hand between approval waves.',
    );
    this.auditKey = secret(
      'AuditChainKey',
      AUDIT_CHAIN_KEY,
      'Keys the audit chain (HMAC): whoever can write the audit table but not read this cannot rewrite a chain.',
      'Every audit record ever written is verified with this key; rotating it would make the whole existing audit trail fail verification.',
    );
    const webhooks = new Map<string, secretsmanager.ISecret>();
    for (const name of webhookSecretNames()) {
      webhooks.set(
        name,
        secret(
          `Webhook${pascal(name.replace(/^webhook-/, ''))}`,
          name,
          `Signing secret of the ${name.replace(/^webhook-/, '')} webhook, issued by the vendor: put its value here after deploy.`,
          `${name} holds a signing secret issued by the SaaS vendor; Secrets Manager cannot rotate it on the vendor side, so it is rotated in the vendor's console and copied here.`,
        ),
      );
    }
    this.webhooks = webhooks;
  }

  private secretNamed(name: string): secretsmanager.ISecret {
    const secret = name === APPROVAL_LINK_KEY ? this.linkKey : name === AUDIT_CHAIN_KEY ? this.auditKey : this.webhooks.get(name);
    if (!secret) throw new Error(`no secret named ${name}`);
    return secret;
  }

  /** The ARN to grant on (an adopted secret is known by name only: its ARN ends in a random suffix). */
  arnOf(name: string): string {
    const arn = this.secretNamed(name).secretArn;
    return this.adopted ? `${arn}-??????` : arn;
  }

  /** What a function passes as SecretId: the ARN of a secret of this stack, the name of an adopted one. */
  private idOf(name: string): string {
    return this.adopted ? `${this.namePrefix}/${name}` : this.secretNamed(name).secretArn;
  }

  /** The env var naming the link key. */
  linkKeyEnvironment(): Record<string, string> {
    return { [`AIOS_SECRET_ARN_${secretEnvSuffix(APPROVAL_LINK_KEY)}`]: this.idOf(APPROVAL_LINK_KEY) };
  }

  /** The env var naming the audit chain key (every function that appends audit records). */
  auditKeyEnvironment(): Record<string, string> {
    return { [`AIOS_SECRET_ARN_${secretEnvSuffix(AUDIT_CHAIN_KEY)}`]: this.idOf(AUDIT_CHAIN_KEY) };
  }

  /** The env vars naming every webhook secret. */
  webhookSecretsEnvironment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.webhooks.keys()) env[`AIOS_SECRET_ARN_${secretEnvSuffix(name)}`] = this.idOf(name);
    return env;
  }
}
