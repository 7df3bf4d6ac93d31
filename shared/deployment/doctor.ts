/**
 * `aios doctor`'s judgement: whether a deployment can be relied on, from what
 * AWS answers about it. Pure: each check reads the responses a probe fetched
 * (Bedrock GetFoundationModel / GetInferenceProfile, SES v2 GetAccount /
 * GetEmailIdentity, Secrets Manager DescribeSecret, EventBridge rules,
 * Scheduler schedules), so it is tested on recorded responses.
 */
import { baseModelId } from '../agents/prices';
import { retiredModel } from '../agents/retired-models';
import type { DeploymentPlan } from './deployment-plan';

export type CheckStatus = 'pass' | 'fail' | 'warn';

export interface CheckResult {
  status: CheckStatus;
  /** What was checked (`model us.anthropic…`, `SES sender aios@…`). */
  subject: string;
  detail: string;
}

/** Bedrock's answer about a model (GetFoundationModel's modelDetails), or the error it gave. */
export type FoundationModelAnswer =
  | { modelDetails?: { modelId?: string; modelLifecycle?: { status?: string; legacyTime?: Date | string; endOfLifeTime?: Date | string } } }
  | { error: { name: string; message?: string } };

export type InferenceProfileAnswer = { status?: string; inferenceProfileId?: string } | { error: { name: string; message?: string } };

const INFERENCE_PROFILE = /^(us|eu|apac|us-gov|global|ca|jp|au)\./;
const day = (d: Date | string | undefined) => (d === undefined ? undefined : new Date(d).toISOString().slice(0, 10));

/** Whether an agent's model is Active, its profile exists, and the plan lets the agent step call it. */
export function checkModel(
  modelId: string,
  model: FoundationModelAnswer,
  profile: InferenceProfileAnswer | undefined,
  plan: Pick<DeploymentPlan, 'functions'>,
): CheckResult[] {
  const subject = `model ${modelId}`;
  const out: CheckResult[] = [];
  const retired = retiredModel(modelId);
  if ('error' in model) {
    out.push({
      status: 'fail',
      subject,
      detail: `Bedrock does not offer ${baseModelId(modelId)} here (${model.error.name}: ${model.error.message ?? ''})${retired ? `: it reached end of life on ${retired.endOfLife}; use ${retired.successor}` : ''}`,
    });
  } else {
    const lifecycle = model.modelDetails?.modelLifecycle;
    if (lifecycle?.status === 'ACTIVE') out.push({ status: 'pass', subject, detail: 'Active on Bedrock' });
    else {
      const eol = day(lifecycle?.endOfLifeTime);
      out.push({
        status: 'fail',
        subject,
        detail: `${lifecycle?.status ?? 'unknown'} on Bedrock${eol ? `, end of life ${eol}` : ''}: move the agents to an Active model${retired ? ` (${retired.successor})` : ''}`,
      });
    }
  }
  if (INFERENCE_PROFILE.test(modelId)) {
    if (!profile || 'error' in profile)
      out.push({
        status: 'fail',
        subject,
        detail: `inference profile ${modelId} not found in this region${profile && 'error' in profile ? ` (${profile.error.name})` : ''}`,
      });
    else if (profile.status && profile.status !== 'ACTIVE') out.push({ status: 'fail', subject, detail: `inference profile ${modelId} is ${profile.status}` });
    else out.push({ status: 'pass', subject, detail: 'inference profile exists' });
  }
  const agentStep = plan.functions.find((f) => f.id === 'agent-step');
  const granted = agentStep?.statements.some(
    (s) =>
      s.actions.includes('bedrock:InvokeModel') &&
      s.resources.some(
        (r) =>
          (r.kind === 'inferenceProfile' && r.profileId === modelId) ||
          (r.kind === 'foundationModel' && r.modelId === modelId) ||
          (r.kind === 'arn' && r.arn === modelId),
      ),
  );
  out.push(
    granted
      ? { status: 'pass', subject, detail: 'the agent step may invoke it' }
      : { status: 'fail', subject, detail: "the agent step's role may not invoke it: redeploy after changing the agents' models" },
  );
  return out;
}

/** SES: the sender identity is verified, and whether the account can mail anyone. */
export function checkEmail(
  sender: string,
  identity: { VerifiedForSendingStatus?: boolean } | { error: { name: string } },
  account: { ProductionAccessEnabled?: boolean; SendingEnabled?: boolean },
): CheckResult[] {
  const subject = `SES sender ${sender}`;
  const out: CheckResult[] = [];
  if ('error' in identity)
    out.push({ status: 'fail', subject, detail: `no SES identity for ${sender} (${identity.error.name}): deploy the stack or create it` });
  else if (identity.VerifiedForSendingStatus) out.push({ status: 'pass', subject, detail: 'verified' });
  else out.push({ status: 'fail', subject, detail: `not verified: open the verification email SES sent to ${sender} (or verify its domain)` });
  if (account.SendingEnabled === false) out.push({ status: 'fail', subject: 'SES account', detail: 'sending is disabled for this account' });
  else if (account.ProductionAccessEnabled) out.push({ status: 'pass', subject: 'SES account', detail: 'out of the sandbox: mail reaches any address' });
  else
    out.push({
      status: 'warn',
      subject: 'SES account',
      detail: 'in the SES sandbox: mail reaches verified addresses only (verify each approver, or request production access)',
    });
  return out;
}

export interface SecretFacts {
  name: string;
  /** DescribeSecret; undefined when the secret does not exist. */
  described?: { CreatedDate?: Date | string; LastChangedDate?: Date | string };
  /** A tool's secret the stack created with a placeholder (its value is put in after deploy, like a webhook's). */
  toolPlaceholder?: boolean;
}

/** The link key exists; each webhook secret and tool secret the stack created holds the real value (changed since). */
export function checkSecrets(secrets: readonly SecretFacts[]): CheckResult[] {
  return secrets.map(({ name, described, toolPlaceholder }) => {
    const subject = `secret ${name}`;
    if (!described) return { status: 'fail', subject, detail: 'missing' };
    const webhook = name.includes('webhook-');
    if (!webhook && !toolPlaceholder) return { status: 'pass', subject, detail: 'exists' };
    const created = described.CreatedDate ? new Date(described.CreatedDate).getTime() : undefined;
    const changed = described.LastChangedDate ? new Date(described.LastChangedDate).getTime() : undefined;
    // The stack creates each webhook secret with a random value; the vendor's secret is put in afterwards.
    if (created !== undefined && changed !== undefined && changed - created > 60_000)
      return { status: 'pass', subject, detail: `set (changed ${day(described.LastChangedDate)})` };
    if (!webhook)
      return { status: 'warn', subject, detail: 'still the placeholder the stack generated: put the real value in it, or the tools that read it fail' };
    return {
      status: 'warn',
      subject,
      detail: "still the value the stack generated: put the vendor's signing secret in it, or that vendor's webhooks are refused",
    };
  });
}

/** Every planned rule and schedule exists and is enabled. */
export function checkTriggers(
  expected: { rules: readonly string[]; schedules: readonly string[] },
  found: { rules: ReadonlyMap<string, string>; schedules: ReadonlyMap<string, string> },
): CheckResult[] {
  const one = (kind: string, name: string, state: string | undefined): CheckResult =>
    state === 'ENABLED'
      ? { status: 'pass', subject: `${kind} ${name}`, detail: 'enabled' }
      : { status: 'fail', subject: `${kind} ${name}`, detail: state ? `${state.toLowerCase()}: its workflow will not start` : 'missing' };
  return [...expected.rules.map((n) => one('rule', n, found.rules.get(n))), ...expected.schedules.map((n) => one('schedule', n, found.schedules.get(n)))];
}

/** The report: one line per check, and whether anything failed. */
export function renderDoctorReport(results: readonly CheckResult[]): { text: string; failed: boolean } {
  const mark = { pass: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;
  const lines = results.map((r) => `${mark[r.status]}  ${r.subject}: ${r.detail}`);
  const failed = results.some((r) => r.status === 'fail');
  const counts = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  lines.push('', `${counts('pass')} passed, ${counts('warn')} warnings, ${counts('fail')} failed`);
  return { text: `${lines.join('\n')}\n`, failed };
}
