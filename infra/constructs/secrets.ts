/**
 * Secrets Manager secrets: the approval link signing key and the audit chain key (generated), one
 * per webhook source (created with a random placeholder; the operator puts
 * the vendor's signing secret in after deploy), and those the tools declare
 * (`<prefix>/tools/<name>`, created with a placeholder the same way, or an
 * existing secret the tool names with `awsSecretName`). Functions find them through
 * `AIOS_SECRET_ARN_<NAME>` (shared/secrets); the deployment plan says which
 * functions may read them.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { webhookVendors } from '../../events/sources';
import { APPROVAL_LINK_SECRET as APPROVAL_LINK_KEY } from '../../shared/deployment/statements';
import { AUDIT_CHAIN_KEY } from '../../shared/audit/audit-key';
import type { ToolSecret } from '../../shared/definition/tool';
import { secretEnvSuffix } from '../../shared/secrets';

export interface AiosSecretsProps {
  namePrefix: string;
  retainData: boolean;
  /** Use the secrets a destroyed deployment with this prefix retained, instead of creating them. */
  adoptRetained?: boolean;
  /** The secrets the definition's tools declare (one per name). */
  toolSecrets?: readonly ToolSecret[];
}

/** Where the stack keeps a tool's secret it creates: apart from its own secrets, so no tool name can reach them. */
export function toolSecretName(namePrefix: string, name: string): string {
  return `${namePrefix}/tools/${name}`;
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
  /** Tool secrets by AIOS name, and the Secrets Manager name each is read by (an existing secret's name is its only id). */
  readonly tools: ReadonlyMap<string, { secret: secretsmanager.ISecret; secretName: string; byName: boolean }>;
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
    this.tools = this.toolSecrets(props.toolSecrets ?? [], removalPolicy);
  }

  private toolSecrets(
    declared: readonly ToolSecret[],
    removalPolicy: RemovalPolicy,
  ): Map<string, { secret: secretsmanager.ISecret; secretName: string; byName: boolean }> {
    const out = new Map<string, { secret: secretsmanager.ISecret; secretName: string; byName: boolean }>();
    for (const { name, awsSecretName, description } of declared) {
      if (out.has(name)) continue;
      const constructId = `Tool${pascal(name)}`;
      if (awsSecretName) {
        out.set(name, { secret: secretsmanager.Secret.fromSecretNameV2(this, constructId, awsSecretName), secretName: awsSecretName, byName: true });
        continue;
      }
      const secretName = toolSecretName(this.namePrefix, name);
      if (this.adopted) {
        out.set(name, { secret: secretsmanager.Secret.fromSecretNameV2(this, constructId, secretName), secretName, byName: true });
        continue;
      }
      const secret = new secretsmanager.Secret(this, constructId, {
        secretName,
        description: `${description ?? `Secret "${name}" of the definition's tools`}: put its value here after deploy (the stack only creates a placeholder).`,
        generateSecretString: { passwordLength: 32, excludePunctuation: true },
        removalPolicy,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: `${name} holds a credential issued by another service (an API key): it is rotated there and copied here.`,
      });
      out.set(name, { secret, secretName, byName: false });
    }
    return out;
  }

  private secretNamed(name: string): secretsmanager.ISecret {
    const secret =
      name === APPROVAL_LINK_KEY ? this.linkKey : name === AUDIT_CHAIN_KEY ? this.auditKey : (this.webhooks.get(name) ?? this.tools.get(name)?.secret);
    if (!secret) throw new Error(`no secret named ${name}`);
    return secret;
  }

  /** The ARN to grant on (a secret known by name only has an ARN ending in a random suffix). */
  arnOf(name: string): string {
    const arn = this.secretNamed(name).secretArn;
    const tool = this.tools.get(name);
    return (tool ? tool.byName : this.adopted) ? `${arn}-??????` : arn;
  }

  /** What a function passes as SecretId: the ARN of a secret of this stack, the name of one it only refers to. */
  private idOf(name: string): string {
    const tool = this.tools.get(name);
    if (tool) return tool.byName ? tool.secretName : tool.secret.secretArn;
    return this.adopted ? `${this.namePrefix}/${name}` : this.secretNamed(name).secretArn;
  }

  /** The env vars naming the secrets a tool declared (its function may read exactly those). */
  toolSecretsEnvironment(names: readonly string[]): Record<string, string> {
    return Object.fromEntries(names.map((name) => [`AIOS_SECRET_ARN_${secretEnvSuffix(name)}`, this.idOf(name)]));
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
