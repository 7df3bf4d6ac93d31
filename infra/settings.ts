/**
 * Deployment settings: CDK context values (`cdk deploy -c senderEmail=...`)
 * or props of `AiosStack`, validated with zod so a typo fails synth with the
 * bad value and what is allowed. Precedence: explicit prop > context > default.
 */
import { z } from 'zod';
import type { ValidOs } from '../shared/definition';
import { AiosError } from '../shared/errors';

// Context values given on the command line arrive as strings.
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const positiveInt = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(1));

export const settingsSchema = z.strictObject({
  /** The SES sender address of approval emails and `email.send` (a verified identity). Default: the first admin's address. */
  senderEmail: z.email().optional(),
  /** Step Functions log level. */
  logLevel: z.enum(['ALL', 'ERROR', 'FATAL', 'OFF']).default('ALL'),
  /** Log execution data (inputs and outputs: customer data) in the state machine logs. */
  includeExecutionData: flag.default(false),
  /** X-Ray tracing for state machines and functions. */
  tracing: flag.default(false),
  /** Keep the tables and the event archive when the stack is deleted. */
  retainData: flag.default(true),
  /** Prefix of every named resource (functions, state machines, the bus, secrets, log groups, schedules); change it for a second deployment in one account. */
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, 'lower-case letters, digits and dashes (at most 20)')
    .default('aios'),
  /** Base URL of the business system the example's custom tools call (AIOS_BUSINESS_API_URL). */
  businessApiUrl: z.url().optional(),
  /** Steady-state requests per second of the approvals and webhooks API. */
  apiRateLimit: positiveInt.default(25),
  apiBurstLimit: positiveInt.default(50),
  /** Days CloudWatch keeps function, state machine and API logs. */
  logRetentionDays: positiveInt.default(90),
  /**
   * Days each audit record's archived copy is locked (S3 Object Lock, compliance mode: no one can delete it or
   * shorten the lock before then, and the bucket outlives the stack). Set it to what your auditors require.
   */
  auditRetentionDays: positiveInt.default(365),
  /** Days the event archive keeps events (for replay). */
  archiveRetentionDays: positiveInt.default(30),
  /**
   * Redeploy onto the data a destroyed deployment with the same prefix retained: the tables named here
   * (`aios outputs` of the old stack gives them), and its secrets and named log groups, are used instead of created.
   * On the command line: -c adoptRetained='{"knowledge":"…","state":"…","audit":"…","auditStream":"arn:…"}' (the audit
   * table's stream ARN keeps its writes archived).
   */
  adoptRetained: z
    .union([
      z.string().transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'a JSON object {"knowledge","state","audit"} of table names' });
          return z.NEVER;
        }
      }),
      z.record(z.string(), z.unknown()),
    ])
    .pipe(
      z.strictObject({
        knowledge: z.string().min(3),
        state: z.string().min(3),
        audit: z.string().min(3),
        auditStream: z.string().startsWith('arn:').optional(),
      }),
    )
    .optional(),
  /** Turn knowledge embeddings on with this Bedrock model (e.g. amazon.titan-embed-text-v2:0): the knowledge functions get its IAM and AIOS_EMBEDDINGS=bedrock. */
  embeddingsModel: z
    .string()
    .regex(/^[a-z0-9.-]+(?::[a-z0-9.-]+)*$/, 'a Bedrock model id')
    .optional(),
  /** `existing`: the sender's SES identity already exists (verified, or owned by another deployment): use it, do not create it. */
  senderIdentity: z.enum(['create', 'existing']).default('create'),
});

export type AiosSettingsInput = z.input<typeof settingsSchema>;
export type AiosSettings = z.output<typeof settingsSchema> & { senderEmail: string; alarmEmails: string[] };

export class InvalidSettingsError extends AiosError {
  constructor(problems: string[]) {
    super('Infra.InvalidSettings', `invalid deployment settings: ${problems.join('; ')}`, { problems });
  }
}

/** The context keys read by `settingsFromContext`. */
export const SETTING_KEYS = Object.keys(settingsSchema.shape) as (keyof AiosSettingsInput)[];

/**
 * Resolves settings against the definition (sender and alarm recipients default to the admins).
 *
 * @example resolveSettings({ senderEmail: 'aios@kestrel.coffee', tracing: 'true' }, os)
 */
export function resolveSettings(input: Record<string, unknown>, os: Pick<ValidOs, 'people'>): AiosSettings {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success)
    throw new InvalidSettingsError(
      parsed.error.issues.map(
        (i) =>
          `${i.path.join('.') || '(root)'}: ${i.message} (got ${JSON.stringify(i.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k], input))})`,
      ),
    );
  const admins = os.people.filter((p) => p.roles.includes('admin')).map((p) => p.email);
  const senderEmail = parsed.data.senderEmail ?? admins[0];
  if (!senderEmail)
    throw new InvalidSettingsError(['senderEmail: no sender address: pass -c senderEmail=<verified address> or give a person the role "admin"']);
  return { ...parsed.data, senderEmail, alarmEmails: admins };
}

/** Reads every setting key from a construct's context (undefined when absent). */
export function settingsFromContext(tryGetContext: (key: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = tryGetContext(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
