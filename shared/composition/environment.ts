/**
 * The environment AIOS is composed from: the variables CDK gives each Lambda
 * on AWS, and the local runtime gives its in-process functions on one
 * machine, parsed once with zod. Every adapter factory of the composition
 * root (this folder) takes it; nothing here reads or writes `process.env`:
 * a Lambda entry passes `process.env`, the local runtime passes its own object.
 *
 * @example
 * const env = parseEnvironment(process.env);
 * const audit = auditLog(env); // shared/composition/tables.ts
 */
import * as z from '../mini-zod';
import { AiosError } from '../errors';

/** The variables as given; SDK clients and the secret provider read `AWS_*`, `AIOS_SECRET_*` and `AIOS_EMBEDDINGS*` from them. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** Default bus name when AIOS_BUS_NAME is unset (the plan's own bus). */
export const DEFAULT_BUS = 'aios';
/** Default sender when AIOS_EMAIL_FROM is unset (the local outbox accepts it). */
export const DEFAULT_SENDER = 'AIOS <aios@localhost>';
/** Default port of the local runtime (AIOS_PORT). */
export const DEFAULT_LOCAL_PORT = 4566;

/**
 * The variable behind each setting: the names CDK gives each function (infra/constructs/functions.ts)
 * and the local runtime puts in its environment, written once here.
 */
export const ENVIRONMENT_VARIABLES = {
  busName: 'AIOS_BUS_NAME',
  emailFrom: 'AIOS_EMAIL_FROM',
  publicUrl: 'AIOS_PUBLIC_URL',
  webhookBaseUrl: 'AIOS_WEBHOOK_BASE_URL',
  payloadBucket: 'AIOS_PAYLOAD_BUCKET',
  auditArchiveBucket: 'AIOS_AUDIT_ARCHIVE_BUCKET',
  toolId: 'AIOS_TOOL_ID',
  knowledgeSeedDir: 'AIOS_KNOWLEDGE_SEED_DIR',
  consoleTriggers: 'AIOS_CONSOLE_TRIGGERS',
  /** Read by the example's tools through their context (`ctx.env`). */
  businessApiUrl: 'AIOS_BUSINESS_API_URL',
} as const;

// An http(s) URL as the URL parser reads it: what zod's url check does, without carrying its string-format
// code into every function.
const isHttpUrl = (value: string): boolean => {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};
// Variables checked alike share one schema: every function builds these while it loads, and a zod schema holds no state.
const optionalUrl = z.optional(z.string().check(z.predicate(isHttpUrl, 'Invalid URL')));
const optionalString = z.optional(z.string());
const optionalName = z.optional(z.string().check(z.minLength(3)));
const optionalNonEmpty = z.optional(z.string().check(z.minLength(1)));

const variablesSchema = z.object({
  AWS_REGION: optionalString,
  AWS_DEFAULT_REGION: optionalString,
  AWS_ENDPOINT_URL: optionalUrl,
  AIOS_PORT: z.optional(z.string().check(z.regex(/^\d{1,5}$/, 'a port number'))),
  [ENVIRONMENT_VARIABLES.busName]: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._/-]{1,256}$/, 'an event bus name'))),
  [ENVIRONMENT_VARIABLES.emailFrom]: optionalName,
  [ENVIRONMENT_VARIABLES.publicUrl]: optionalUrl,
  [ENVIRONMENT_VARIABLES.webhookBaseUrl]: optionalUrl,
  [ENVIRONMENT_VARIABLES.payloadBucket]: optionalName,
  [ENVIRONMENT_VARIABLES.auditArchiveBucket]: optionalName,
  [ENVIRONMENT_VARIABLES.toolId]: optionalNonEmpty,
  [ENVIRONMENT_VARIABLES.knowledgeSeedDir]: optionalNonEmpty,
  [ENVIRONMENT_VARIABLES.consoleTriggers]: z.optional(z.string().check(z.minLength(2))),
  AIOS_OS_MODULE: optionalNonEmpty,
  AIOS_DATA_DIR: optionalNonEmpty,
});

/** What the adapters are built from. */
export interface AiosEnvironment {
  readonly vars: EnvironmentVariables;
  readonly region: string;
  /** The endpoint every client uses unless a service's own `AWS_ENDPOINT_URL_<SERVICE>` says otherwise (undefined: AWS). */
  readonly endpoint?: string;
  readonly busName: string;
  readonly emailFrom: string;
  /** Base URL of the approval pages and the console. */
  readonly publicUrl: string;
  /** Base URL webhook deliveries are signed for, when it differs from the request's. */
  readonly webhookBaseUrl?: string;
  /** Bucket of oversized webhook bodies (webhook ingest only). */
  readonly payloadBucket?: string;
  /** The Object Lock bucket the audit table's stream is archived to. */
  readonly auditArchiveBucket?: string;
  /** The tool a tool function runs. */
  readonly toolId?: string;
  /** Where the seed knowledge is bundled (the knowledge-sync function on AWS). */
  readonly knowledgeSeedDir?: string;
  /** Each workflow's state machine, rules and schedules for the console, as JSON (parsed by the console). */
  readonly consoleTriggers?: string;
}

/** The settings an environment holds only when their variable is set. */
const OPTIONAL_SETTINGS = ['webhookBaseUrl', 'payloadBucket', 'auditArchiveBucket', 'toolId', 'knowledgeSeedDir', 'consoleTriggers'] as const;

export class InvalidEnvironmentError extends AiosError {
  constructor(problems: string[]) {
    super('Environment.Invalid', `invalid environment: ${problems.join('; ')}`, { problems });
  }
}

/**
 * Parses the variables once; a bad value fails here with its name, the value and what is allowed.
 * The variables object is kept as given (not copied), so clients read the same one.
 */
export function parseEnvironment(vars: EnvironmentVariables): AiosEnvironment {
  // An empty variable means unset, as the shell's `VAR= cmd` does: left out before parsing.
  const parsed = variablesSchema.safeParse(Object.fromEntries(Object.entries(vars).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    throw new InvalidEnvironmentError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(vars[String(i.path[0])])})`));
  }
  const v = parsed.data;
  const env: { -readonly [K in keyof AiosEnvironment]: AiosEnvironment[K] } = {
    vars,
    region: v.AWS_REGION ?? v.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(v.AWS_ENDPOINT_URL ? { endpoint: v.AWS_ENDPOINT_URL } : {}),
    busName: v[ENVIRONMENT_VARIABLES.busName] ?? DEFAULT_BUS,
    emailFrom: v[ENVIRONMENT_VARIABLES.emailFrom] ?? DEFAULT_SENDER,
    publicUrl: v[ENVIRONMENT_VARIABLES.publicUrl] ?? `http://127.0.0.1:${v.AIOS_PORT ?? DEFAULT_LOCAL_PORT}`,
  };
  for (const setting of OPTIONAL_SETTINGS) {
    const value = v[ENVIRONMENT_VARIABLES[setting]];
    if (value) env[setting] = value;
  }
  return env;
}

/** The same environment with some variables set (a new object; the given one is not changed). */
export function withVariables(env: AiosEnvironment, vars: EnvironmentVariables): AiosEnvironment {
  return parseEnvironment({ ...env.vars, ...vars });
}
