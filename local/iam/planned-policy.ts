/**
 * The deployment plan's statements as the local runtime's IAM: each planned
 * function's statements, with resources resolved to the local runtime's
 * names, evaluated the way IAM evaluates identity policies with only Allow
 * statements (allowed when some statement matches action, resource and
 * conditions; denied otherwise).
 */
import type { DeploymentPlan } from '../../shared/deployment/deployment-plan';
import type { PlannedResource, PlannedStatement } from '../../shared/deployment/statements';
import type { TableId } from '../../shared/tables';
import { emailAddressOf, type RequestedAction } from './request-action';

/** Where the plan's resources are in this runtime. */
export interface LocalResourceNames {
  region: string;
  accountId: string;
  tableName(id: TableId): string;
  busName: string;
  /** The sender address (`AIOS <aios@localhost>` or a bare address). */
  sender: string;
  stateMachineArn(workflowId: string): string;
  /** The ARNs of the EventBridge rules that start a workflow. */
  ruleArns(workflowId: string): string[];
  /** The bucket large webhook deliveries go to. */
  payloadBucket: string;
  /** The Object Lock bucket the audit table's stream is archived to. */
  auditArchiveBucket: string;
}

interface ResolvedStatement {
  actions: RegExp[];
  resources: RegExp[];
  check(context: RequestedAction['context']): boolean;
}

export type Decision = { allowed: true } | { allowed: false; message: string };

/** An IAM pattern (`*` and `?` wildcards) as an anchored regular expression. */
export function iamPattern(pattern: string, caseInsensitive = false): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'i' : '');
}

/** Most actions whose statements are kept per function (AIOS functions call a dozen or so). */
const MOST_ACTIONS_KEPT = 200;

export class PlannedPolicy {
  private readonly byFunction = new Map<string, ResolvedStatement[]>();
  private readonly byAction = new Map<string, Map<string, ResolvedStatement[]>>();

  constructor(
    plan: Pick<DeploymentPlan, 'functions'>,
    private readonly names: LocalResourceNames,
  ) {
    for (const fn of plan.functions)
      this.byFunction.set(
        fn.functionName,
        fn.statements.map((s) => this.resolve(s)),
      );
  }

  /** Whether requests signed as `functionName` are checked (it is a function of the plan). */
  governs(functionName: string): boolean {
    return this.byFunction.has(functionName);
  }

  /**
   * A function's statements that name an action, found once per function and action: a function makes the same few
   * calls again and again, and testing every statement's action patterns on each was most of a decision's work.
   */
  private statementsFor(functionName: string, action: string): ResolvedStatement[] {
    let byAction = this.byAction.get(functionName);
    if (!byAction) this.byAction.set(functionName, (byAction = new Map()));
    let statements = byAction.get(action);
    if (!statements) {
      statements = (this.byFunction.get(functionName) ?? []).filter((s) => s.actions.some((a) => a.test(action)));
      // Actions come from requests: a caller sending ever new ones must not grow this without end.
      if (byAction.size >= MOST_ACTIONS_KEPT) byAction.clear();
      byAction.set(action, statements);
    }
    return statements;
  }

  /** The decision on one request by a planned function. */
  decide(functionName: string, request: RequestedAction): Decision {
    const statements = this.statementsFor(functionName, request.action);
    const denied = request.resources.find((resource) => !statements.some((s) => s.resources.some((r) => r.test(resource)) && s.check(request.context)));
    if (denied === undefined && request.resources.length > 0) return { allowed: true };
    const role = `arn:aws:sts::${this.names.accountId}:assumed-role/${functionName}/${functionName}`;
    return {
      allowed: false,
      message: `User: ${role} is not authorized to perform: ${request.action} on resource: ${denied ?? '*'} because no identity-based policy allows the ${request.action} action (the deployment plan gives ${functionName} no such statement)`,
    };
  }

  private resolve(statement: PlannedStatement): ResolvedStatement {
    const n = this.names;
    const arns = (r: PlannedResource): string[] => {
      switch (r.kind) {
        case 'table':
          return [`arn:aws:dynamodb:${n.region}:${n.accountId}:table/${n.tableName(r.table)}`];
        case 'bus':
          return [`arn:aws:events:${n.region}:${n.accountId}:event-bus/${n.busName}`];
        case 'senderIdentity':
          return [`arn:aws:ses:${n.region}:${n.accountId}:identity/${emailAddressOf(n.sender)}`];
        case 'workflow':
          return [n.stateMachineArn(r.workflowId)];
        case 'workflowExecutions':
          // `…:stateMachine:<name>` runs as `…:execution:<name>:<run>`.
          return [`${n.stateMachineArn(r.workflowId).replace(':stateMachine:', ':execution:')}:*`];
        case 'workflowRules':
          return n.ruleArns(r.workflowId);
        case 'foundationModel':
          return [`arn:aws:bedrock:${r.anyRegion ? '*' : n.region}::foundation-model/${r.modelId}`];
        case 'inferenceProfile':
          return [`arn:aws:bedrock:${n.region}:${n.accountId}:inference-profile/${r.profileId}`];
        case 'guardrail':
          return [`arn:aws:bedrock:${n.region}:${n.accountId}:guardrail/${r.guardrailId}`];
        case 'payloadObjects':
          return [`arn:aws:s3:::${n.payloadBucket}/${r.prefix}*`];
        case 'auditArchiveObjects':
          return [`arn:aws:s3:::${n.auditArchiveBucket}/${r.prefix}*`];
        case 'any':
          return ['*'];
        // The local stream is read by the runtime itself (the function is handed its records): no request to check.
        case 'tableStream':
          return [];
        case 'arn':
          return [r.arn];
        // Secrets live in the data folder locally; no request reaches a Secrets Manager API.
        case 'secret':
        case 'webhookSecrets':
          return [];
        // The local scheduler serves no Scheduler API and no request passes a role: nothing to check.
        case 'workflowSchedules':
        case 'scheduleRole':
          return [];
      }
    };
    const conditions = statement.conditions ?? [];
    // Compiled once here, not on every request the statement is checked against.
    const keyPatterns = conditions.map((c) => (c.kind === 'fromSender' || c.kind === 'passedToScheduler' ? [] : c.patterns.map((p) => iamPattern(p))));
    return {
      actions: statement.actions.map((a) => iamPattern(a, true)),
      resources: statement.resources.flatMap(arns).map((r) => iamPattern(r)),
      check: (context) =>
        conditions.every((c, i) => {
          if (c.kind === 'fromSender') return (context['ses:FromAddress'] ?? []).every((a) => a === emailAddressOf(n.sender));
          if (c.kind === 'passedToScheduler') return (context['iam:PassedToService'] ?? []).every((s) => s === 'scheduler.amazonaws.com');
          // ForAllValues: every key must match (and, as in IAM, a request with no key passes).
          const patterns = keyPatterns[i];
          return (context['dynamodb:LeadingKeys'] ?? []).every((key) => patterns.some((p) => p.test(key)));
        }),
    };
  }
}
