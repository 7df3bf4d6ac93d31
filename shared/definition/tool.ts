import * as z from 'zod';
import type { KnowledgeStore } from '../knowledge/store';
import type { EventPublisher } from '../webhooks/ports';
import * as core from 'zod/v4/core';

/** What a tool does to the world; decides the default of the decision rights. */
export type SideEffect = 'read' | 'write' | 'external';

/** What a tool handler receives besides its validated input. */
export interface ToolContext {
  runId: string;
  workflowId: string;
  agentId: string | null;
  toolUseId: string;
  /** `${runId}:${toolUseId}`: stable across retries of the same call. */
  idempotencyKey: string;
  /** The approval that allowed this call, when one was needed. */
  approvalId?: string;
  /** Knowledge namespaces the calling agent may read and write (empty for workflow steps). */
  knowledgeNamespaces: readonly string[];
  /** The tool's own configuration from the definition (endpoints, allowed hosts …). */
  config: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  /**
   * A tool that `marksEffect` awaits this right before the one request that
   * changes the world. It records that the call got that far; it throws
   * (`Tool.AttemptSuperseded`) when a newer attempt of the same call took over.
   */
  beforeEffect: () => Promise<void>;
  /**
   * What tools act through, built by the composition root (shared/composition) for the tool's
   * function: a definition's tools import no SDK client, so a bundle that only reads the definition
   * (agent-step, tool-gate) carries none of theirs.
   */
  ports: ToolPorts;
  /**
   * A secret the tool declared in `secrets` (an API key): locally from `AIOS_SECRET_<NAME>` or the file
   * `<AIOS_DATA_DIR>/secrets/<name>`, on AWS from Secrets Manager. An undeclared name is refused here, on
   * the laptop, as its function's role would refuse it on AWS.
   */
  secret: (name: string) => Promise<string>;
}

/** Adapters a tool handler may use. */
export interface ToolPorts {
  /** SES v2 SendEmail; `from` defaults to the deployment's sender. */
  sendEmail(email: { from?: string; to: string; subject: string; text: string; tags?: Record<string, string> }): Promise<{ messageId?: string }>;
  /** PutEvents on the deployment's bus. */
  publisher: EventPublisher;
  knowledge: Pick<KnowledgeStore, 'search' | 'remember'>;
}

/**
 * A secret a tool reads: its name (`payments-api-key`), or the name and, on AWS, an existing Secrets
 * Manager secret to read instead of one the stack creates (`{ name: 'payments-api-key', awsSecretName: 'acme/payments' }`).
 */
export type ToolSecretDeclaration = string | { name: string; awsSecretName?: string; description?: string };

export interface ToolDefinition<Id extends string = string, Input extends core.$ZodType = core.$ZodType> {
  id: Id;
  description: string;
  input: Input;
  sideEffect: SideEffect;
  /** Default 30. */
  timeoutSeconds?: number;
  /** Whether running the same call twice is harmless. */
  idempotent: boolean;
  /**
   * For a tool that is not idempotent: its handler calls `ctx.beforeEffect()`
   * right before acting. An attempt interrupted before that point (a crash, a
   * timeout) did nothing, so the call is run again instead of being refused
   * as possibly done. Default false: every interrupted attempt is refused.
   */
  marksEffect?: boolean;
  /** Configuration handed to the handler (e.g. the business system's base URL). */
  config?: Record<string, unknown>;
  /** AWS permissions the tool's Lambda role needs, beyond logs (least privilege). */
  permissions?: readonly { actions: readonly string[]; resources: readonly string[] }[];
  /**
   * Secrets the handler reads with `ctx.secret(name)`. On AWS the stack creates `<prefix>/tools/<name>` (or
   * uses `awsSecretName`) and gives this tool's function, and only it, the secret's id and read access to it.
   */
  secrets?: readonly ToolSecretDeclaration[];
  handler: (input: core.output<Input>, ctx: ToolContext) => Promise<unknown>;
  /**
   * How a call reads to a person (approval emails, pages, the console):
   * one sentence with every key field, e.g. `(i) => \`Refund $${i.amount.toFixed(2)} on order ${i.orderId}\``.
   * Written for people; `description` stays the text for the model.
   */
  describe?: (input: core.output<Input>) => string;
}

// Tool ids become Lambda names and Bedrock tool names: keep them plain.
export const toolIdPattern = /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/;

/** Secret names the deployment uses itself: a tool cannot ask for them. */
export const RESERVED_SECRET_NAMES = ['approval-link-key', 'audit-chain-key'] as const;
const SECRET_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const secretNameSchema = z
  .string()
  .regex(SECRET_NAME, 'lower-case words separated by "-" (e.g. payments-api-key)')
  .max(64)
  .refine(
    (n) => !(RESERVED_SECRET_NAMES as readonly string[]).includes(n) && !n.startsWith('webhook-'),
    'a name the deployment uses itself (approval-link-key, audit-chain-key, webhook-*)',
  );

/** A declared secret, whichever way it was written. */
export const toolSecretSchema = z
  .union([
    secretNameSchema,
    z.strictObject({
      name: secretNameSchema,
      /** On AWS: an existing Secrets Manager secret, by name, instead of one the stack creates. */
      awsSecretName: z
        .string()
        .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'a Secrets Manager secret name')
        .optional()
        .describe('On AWS, read this existing secret instead of the one the stack creates (<prefix>/tools/<name>).'),
      description: z.string().max(200).optional(),
    }),
  ])
  .transform((s) => (typeof s === 'string' ? { name: s } : s));

export type ToolSecret = z.output<typeof toolSecretSchema>;

export const toolSchema = z.strictObject({
  id: z.string().regex(toolIdPattern, 'lower-case words separated by "." or "-" (e.g. refunds.issue)').max(48),
  description: z.string().min(10, 'describe what the tool does for the model (at least 10 characters)'),
  // Classic zod or zod/mini (smaller Lambdas): both are zod core schemas.
  input: z.custom<core.$ZodType>((v) => v instanceof core.$ZodType, 'a zod schema'),
  sideEffect: z.enum(['read', 'write', 'external']),
  timeoutSeconds: z.number().int().min(1).max(900).default(30),
  idempotent: z.boolean(),
  marksEffect: z.boolean().default(false),
  config: z.record(z.string(), z.unknown()).default({}),
  permissions: z.array(z.strictObject({ actions: z.array(z.string()).min(1), resources: z.array(z.string()).min(1) })).default([]),
  secrets: z
    .array(toolSecretSchema)
    .default([])
    .describe(
      "Secrets the handler reads with ctx.secret(name): a name, or { name, awsSecretName, description }. On AWS only this tool's function may read them.",
    ),
  handler: z.custom<ToolDefinition['handler']>((v) => typeof v === 'function', 'a function'),
  describe: z.custom<(input: never) => string>((v) => typeof v === 'function', 'a function from the input to one sentence for approvers').optional(),
});

export type Tool = z.infer<typeof toolSchema>;

/** Declares a tool; the literal id becomes a type for agents and rules. */
export function defineTool<const Id extends string, Input extends core.$ZodType>(tool: ToolDefinition<Id, Input>): ToolDefinition<Id, Input> {
  return tool;
}

/** The Lambda function name of a tool (`refunds.issue` → `aios-tool-refunds-issue`). */
export function toolFunctionName(toolId: string): string {
  return `aios-tool-${toolId.replace(/\./g, '-')}`;
}

/** The ASL placeholder of a tool's function (`${FnTool_refunds_issue}`). */
export function toolPlaceholder(toolId: string): string {
  return `FnTool_${toolId.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** Any tool, whatever its input schema (handlers are contravariant in their input). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyToolDefinition = ToolDefinition<string, any>;
