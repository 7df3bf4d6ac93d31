/**
 * Every Lambda of the deployment: the system functions and one function per
 * tool a workflow invokes, each bundled by the local esbuild (no Docker),
 * nodejs22.x on arm64 with JSON logs, each with its OWN role holding only
 * the statements the deployment plan gives it (shared/deployment).
 */
import path from 'node:path';
import { Annotations, ArnFormat, type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ValidOs } from '../../shared/definition';
import type { AiosSettings } from '../settings';
import type { PlannedFunction } from '../../shared/deployment/deployment-plan';
import { prefixedFunctionName } from '../../shared/deployment/function-specs';
import { AUDIT_ARCHIVE_PREFIX, PAYLOAD_PREFIX, type PlannedResource, type PlannedStatement } from '../../shared/deployment/statements';
import { ENVIRONMENT_VARIABLES as ENV } from '../../shared/composition/environment';
import type { AiosData } from './data';
import type { AiosEmail } from './email';
import type { AiosSecrets } from './secrets';
import { systemFunctionEntries } from '../definition-entries';
import { toolFunctionEntries } from '../tool-entries';

export interface AiosFunctionsProps {
  specs: readonly PlannedFunction[];
  os: ValidOs;
  settings: AiosSettings;
  data: AiosData;
  bus: events.IEventBus;
  email: AiosEmail;
  secrets: AiosSecrets;
  /** Where webhook bodies too big for an event go. */
  payloadBucket: s3.IBucket;
  /** The Object Lock bucket the audit table's stream is archived to. */
  auditArchiveBucket: s3.IBucket;
  /** The approvals and webhooks API base URL (AIOS_PUBLIC_URL, AIOS_WEBHOOK_BASE_URL). */
  publicUrl: string;
  /** The repository root (entries and the lock file are relative to it). */
  projectRoot: string;
  /** The definition's module, relative to projectRoot: where each tool function's own entry finds its tool. */
  definitionModule: string;
}

/** The workflows' resources, built after the functions (their machines invoke the functions). */
export interface WorkflowResources {
  machines: ReadonlyMap<string, sfn.StateMachine>;
  /** The rules and the workflow each starts, in the same order. */
  rules: { plans: readonly { workflowId: string }[]; rules: readonly events.Rule[] };
  /** The schedules and the workflow each starts, in the same order; the role they start workflows with. */
  schedules: { plans: readonly { workflowId: string }[]; schedules: readonly scheduler.CfnSchedule[]; role: iam.IRole | undefined };
}

// Planned resources that exist only once the workflows are built: statements on them wait for grantOnWorkflows.
const BUILT_WITH_WORKFLOWS = new Set<PlannedResource['kind']>(['workflowExecutions', 'workflowRules', 'workflowSchedules', 'scheduleRole']);
const waitsForWorkflows = (s: PlannedStatement) => s.resources.some((r) => BUILT_WITH_WORKFLOWS.has(r.kind));

/** The application log level of every function. */
const APPLICATION_LOG_LEVEL = lambda.ApplicationLogLevel.INFO;

export class AiosFunctions extends Construct {
  /** Function by spec id (`agent-step`, `tool-refunds-issue`, …). */
  readonly byId: ReadonlyMap<string, nodejs.NodejsFunction>;
  /** Function by ASL placeholder (`FnAgentStep`, `FnTool_refunds_issue`, …). */
  readonly byPlaceholder: ReadonlyMap<string, nodejs.NodejsFunction>;
  /** Statements on the workflows' resources, by role, until grantOnWorkflows renders them. */
  private readonly deferred: { role: iam.Role; statements: PlannedStatement[] }[] = [];
  private readonly props: AiosFunctionsProps;
  /** Each tool function's bundle entry, by tool id (infra/tool-entries.ts). */
  private readonly toolEntries: ReadonlyMap<string, { entry: string; ownEntry: boolean }>;
  /** The entries of system functions that read only part of the definition, by spec id (infra/definition-entries.ts). */
  private readonly systemEntries: ReadonlyMap<string, { entry: string; ownEntry: boolean }>;

  constructor(scope: Construct, id: string, props: AiosFunctionsProps) {
    super(scope, id);
    this.props = props;
    const entryOptions = { projectRoot: props.projectRoot, definitionModule: props.definitionModule, embeddings: !!props.settings.embeddingsModel };
    this.toolEntries = props.specs.some((s) => s.toolId) ? toolFunctionEntries(props.os, entryOptions) : new Map();
    this.systemEntries = systemFunctionEntries(props.os, {
      ...entryOptions,
      ...(props.settings.embeddingsModel ? { embeddingsModel: props.settings.embeddingsModel } : {}),
    });
    const byId = new Map<string, nodejs.NodejsFunction>();
    const byPlaceholder = new Map<string, nodejs.NodejsFunction>();
    for (const spec of props.specs) {
      const fn = this.createFunction(spec, props);
      byId.set(spec.id, fn);
      if (spec.placeholder) byPlaceholder.set(spec.placeholder, fn);
    }
    this.byId = byId;
    this.byPlaceholder = byPlaceholder;
  }

  private createFunction(spec: PlannedFunction, props: AiosFunctionsProps): nodejs.NodejsFunction {
    const scope = new Construct(this, pascal(spec.id));
    const { settings } = props;
    const logGroup = new logs.LogGroup(scope, 'Logs', {
      retention: retentionDays(settings.logRetentionDays),
      removalPolicy: settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${spec.functionName}: only what this function needs`,
    });
    // Instead of AWSLambdaBasicExecutionRole (logs:* on every group): its own log group only.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));

    const environment: Record<string, string> = {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: spec.functionName,
      ...this.grantNeeds(spec, role, props),
    };
    if (spec.bundlesSeedKnowledge) environment[ENV.knowledgeSeedDir] = `/var/task/${SEED_KNOWLEDGE_DIR}`;
    if (spec.toolId) {
      environment[ENV.toolId] = spec.toolId;
      Object.assign(environment, props.secrets.toolSecretsEnvironment(spec.secrets ?? []));
      if (settings.businessApiUrl) environment[ENV.businessApiUrl] = settings.businessApiUrl;
    }

    const ownEntry = spec.toolId ? this.toolEntries.get(spec.toolId) : this.systemEntries.get(spec.id);
    if (ownEntry && !ownEntry.ownEntry) {
      Annotations.of(scope).addWarningV2(
        'AiosWholeDefinitionEntry',
        `${spec.functionName} bundles the whole definition: ${spec.toolId ? `tool ${spec.toolId} is not exported on its own by a module of ${props.definitionModule}, or its config is not plain JSON` : 'the part it reads is not plain data (facts, or a describe whose tool is not exported on its own)'}`,
      );
    }
    const fn = new nodejs.NodejsFunction(scope, 'Function', {
      functionName: prefixedFunctionName(spec.functionName, settings.namePrefix),
      description: spec.toolId ? `AIOS tool ${spec.toolId}` : `AIOS ${spec.id}`,
      entry: ownEntry?.entry ?? path.join(props.projectRoot, spec.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: APPLICATION_LOG_LEVEL,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: settings.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment,
      bundling: {
        // The SDK version the code was tested with ships in the bundle, not whatever the runtime has.
        externalModules: [],
        minify: true,
        // The SDK's ES module builds let esbuild drop the commands and shapes a function never
        // sends (CommonJS builds cannot be tree-shaken): about 190 KiB less per function.
        mainFields: ['module', 'main'],
        sourceMap: true,
        target: 'node22',
        format: nodejs.OutputFormat.CJS,
        logLevel: nodejs.LogLevel.ERROR,
        ...(spec.bundlesSeedKnowledge ? { commandHooks: seedKnowledgeHooks(props.os.knowledge.seedDir) } : {}),
      },
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `${spec.functionName} runs nodejs22.x on purpose: AIOS code is built and tested for Node 20 and 22 (TOOLCHAIN.md), and the same handlers run in the local runtime; a newer runtime is adopted once the suite runs on it.`,
    });
    if (settings.tracing) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${spec.functionName}: X-Ray PutTraceSegments/PutTelemetryRecords accept no resource narrower than "*" (tracing was enabled with -c tracing=true).`,
      });
    }
    return fn;
  }

  /** Grants the role the plan's statements and returns the env vars that tell the function where those things are. */
  private grantNeeds(spec: PlannedFunction, role: iam.Role, props: AiosFunctionsProps): Record<string, string> {
    const { data, bus, email, secrets } = props;
    for (const statement of spec.statements.filter((st) => !waitsForWorkflows(st))) {
      const rendered = this.render(statement, props);
      // An adopted audit table given without its stream leaves the stream statements with nothing to grant on.
      if (rendered.resources.length > 0) role.addToPrincipalPolicy(rendered);
    }
    const later = spec.statements.filter(waitsForWorkflows);
    if (later.length > 0) this.deferred.push({ role, statements: later });
    let env: Record<string, string> = {};
    const needs = new Set(spec.needs);
    const knowledge = needs.has('knowledgeRead') || needs.has('knowledgeWrite');
    const uses = { knowledge, state: needs.has('state') || needs.has('runRecords'), audit: needs.has('audit') };
    env = { ...env, ...data.environment((['knowledge', 'state', 'audit'] as const).filter((t) => uses[t])) };
    if (knowledge && props.settings.embeddingsModel) env = { ...env, AIOS_EMBEDDINGS: 'bedrock', AIOS_EMBEDDINGS_MODEL: props.settings.embeddingsModel };
    if (needs.has('bus')) env[ENV.busName] = bus.eventBusName;
    // Every audit writer signs its records with the chain key (the plan grants reading it).
    if (needs.has('audit')) env = { ...env, ...secrets.auditKeyEnvironment() };
    if (needs.has('email')) {
      env[ENV.emailFrom] = email.senderEmail;
      const from = spec.toolId ? props.os.tools.find((t) => t.id === spec.toolId)?.config.from : undefined;
      if (typeof from === 'string' && !from.includes(email.senderEmail)) {
        // The role may send only from the SES identity: a tool configured with another sender would be refused at run time.
        Validations.of(role).addWarning(
          'AiosSenderMismatch',
          `tool ${spec.toolId} sends from "${from}" but may only send from ${email.senderEmail}: set its config.from to the sender or deploy with -c senderEmail=<its address>`,
        );
      }
    }
    if (needs.has('linkKey')) env = { ...env, ...secrets.linkKeyEnvironment() };
    if (needs.has('webhookSecrets')) env = { ...env, ...secrets.webhookSecretsEnvironment(), [ENV.webhookBaseUrl]: props.publicUrl };
    if (needs.has('publicUrl')) env[ENV.publicUrl] = props.publicUrl;
    if (needs.has('payloads') || needs.has('payloadsRead')) {
      env[ENV.payloadBucket] = props.payloadBucket.bucketName;
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf(props.payloadBucket)}.Arn>/${PAYLOAD_PREFIX}*]`,
        reason: needs.has('payloads')
          ? `${spec.functionName} stores each oversized webhook body under webhooks/<source>/<sha256>.json: the key is the body's digest, known only at run time, so the grant is the webhooks/ prefix of the deployment's own payload bucket (PutObject only).`
          : `${spec.functionName} reads the oversized webhook body an event names (detail.aiosPayload): the key is known only at run time, so the grant is the webhooks/ prefix of the deployment's own payload bucket (GetObject only).`,
      });
    }
    if (needs.has('auditArchive')) {
      env[ENV.auditArchiveBucket] = props.auditArchiveBucket.bucketName;
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf(props.auditArchiveBucket)}.Arn>/${AUDIT_ARCHIVE_PREFIX}*]`,
        reason: `${spec.functionName} writes one new object per audit stream record under audit/<pk>/<sk>/<sequence>.json (keys known only at run time): PutObject only, on the deployment's own Object Lock bucket, whose default compliance retention locks each object.`,
      });
    }
    if (needs.has('auditStream')) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${spec.functionName}: dynamodb:ListStreams authorizes on no resource narrower than "*" (the stream mapping needs it); every other stream action is on the audit table's stream only.`,
      });
    }
    if (needs.has('bedrock')) this.acknowledgeAnyRegionModels(role, spec);
    return env;
  }

  /**
   * Grants the planned statements on the workflows' runs, rules, schedules and schedule role, once
   * those exist (rules are unnamed: their ARNs are known only from the built constructs).
   */
  grantOnWorkflows(built: WorkflowResources): void {
    const stack = Stack.of(this);
    const of = <T>(plans: readonly { workflowId: string }[], items: readonly T[], workflowId: string) =>
      items.filter((_, i) => plans[i]?.workflowId === workflowId);
    const resolve = (r: PlannedResource): string[] | undefined => {
      switch (r.kind) {
        case 'workflow': {
          const machine = built.machines.get(r.workflowId);
          return machine ? [machine.stateMachineArn] : [];
        }
        case 'workflowExecutions': {
          const machine = built.machines.get(r.workflowId);
          return machine
            ? [
                stack.formatArn({
                  service: 'states',
                  resource: 'execution',
                  resourceName: `${machine.stateMachineName}:*`,
                  arnFormat: ArnFormat.COLON_RESOURCE_NAME,
                }),
              ]
            : [];
        }
        case 'workflowRules':
          return of(built.rules.plans, built.rules.rules, r.workflowId).map((rule) => rule.ruleArn);
        case 'workflowSchedules':
          return of(built.schedules.plans, built.schedules.schedules, r.workflowId).map((s) =>
            stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `default/${s.name!}` }),
          );
        case 'scheduleRole':
          return built.schedules.role ? [built.schedules.role.roleArn] : [];
        default:
          return undefined;
      }
    };
    for (const { role, statements } of this.deferred.splice(0)) {
      for (const statement of statements) {
        const rendered = this.render(statement, this.props, resolve);
        // A plan never grants on nothing; a workflow built without its resource leaves an empty statement out.
        if (rendered.resources.length > 0) role.addToPrincipalPolicy(rendered);
      }
    }
  }

  /** One planned statement as an IAM statement of this stack; `resolve` names the workflows' built resources. */
  private render(statement: PlannedStatement, props: AiosFunctionsProps, resolve?: (r: PlannedResource) => string[] | undefined): iam.PolicyStatement {
    const stack = Stack.of(this);
    const arns = (r: PlannedResource): string[] => {
      const built = resolve?.(r);
      if (built) return built;
      switch (r.kind) {
        case 'table':
          return [props.data.tables[r.table].tableArn];
        case 'bus':
          return [props.bus.eventBusArn];
        case 'senderIdentity':
          return [props.email.identity.emailIdentityArn];
        case 'secret':
          return [props.secrets.arnOf(r.name)];
        case 'webhookSecrets':
          return [...props.secrets.webhooks.keys()].map((name) => props.secrets.arnOf(name));
        case 'workflow':
          // By name, not by reference: the machine refers to this function, so a reference would be a cycle.
          return [
            stack.formatArn({
              service: 'states',
              resource: 'stateMachine',
              resourceName: stateMachineName(props.settings.namePrefix, r.workflowId),
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ];
        case 'foundationModel':
          return [
            r.anyRegion
              ? `arn:${stack.partition}:bedrock:*::foundation-model/${r.modelId}`
              : stack.formatArn({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: r.modelId }),
          ];
        case 'inferenceProfile':
          return [stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: r.profileId })];
        case 'guardrail':
          return [stack.formatArn({ service: 'bedrock', resource: 'guardrail', resourceName: r.guardrailId })];
        case 'payloadObjects':
          return [props.payloadBucket.arnForObjects(`${r.prefix}*`)];
        case 'auditArchiveObjects':
          return [props.auditArchiveBucket.arnForObjects(`${r.prefix}*`)];
        case 'tableStream': {
          // Undefined for an adopted table given without its stream ARN (the archive construct warns).
          const streamArn = props.data.tables[r.table].tableStreamArn;
          return streamArn ? [streamArn] : [];
        }
        case 'any':
          return ['*'];
        case 'arn':
          return [r.arn];
        case 'workflowExecutions':
        case 'workflowRules':
        case 'workflowSchedules':
        case 'scheduleRole':
          throw new Error(`${r.kind} is granted by grantOnWorkflows, once the workflows are built`);
      }
    };
    const conditions: Record<string, Record<string, unknown>> = {};
    for (const c of statement.conditions ?? []) {
      if (c.kind === 'fromSender') conditions.StringEquals = { ...conditions.StringEquals, 'ses:FromAddress': props.email.senderEmail };
      if (c.kind === 'passedToScheduler') conditions.StringEquals = { ...conditions.StringEquals, 'iam:PassedToService': 'scheduler.amazonaws.com' };
      if (c.kind === 'leadingKeys')
        conditions['ForAllValues:StringLike'] = { ...conditions['ForAllValues:StringLike'], 'dynamodb:LeadingKeys': [...c.patterns] };
    }
    return new iam.PolicyStatement({
      actions: [...statement.actions],
      resources: statement.resources.flatMap(arns),
      ...(Object.keys(conditions).length ? { conditions } : {}),
    });
  }

  private logicalIdOf(bucket: s3.IBucket): string {
    return Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnElement);
  }

  private acknowledgeAnyRegionModels(role: iam.Role, spec: PlannedFunction): void {
    const anyRegion = spec.statements.flatMap((s) => s.resources.flatMap((r) => (r.kind === 'foundationModel' && r.anyRegion ? [r.modelId] : [])));
    for (const model of [...new Set(anyRegion)]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${model}]`,
        reason: `A cross-region inference profile may serve ${model} from any region of its group; Bedrock requires InvokeModel on the foundation model in each of those regions. The model id is fixed.`,
      });
    }
  }
}

/** Where the seed knowledge sits in a bundle that ships it. */
const SEED_KNOWLEDGE_DIR = 'seed-knowledge';

/** Copies the definition's seed folder into the bundle, next to the handler. */
function seedKnowledgeHooks(seedDir: string): nodejs.ICommandHooks {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [`cp -R "${path.join(inputDir, seedDir)}" "${path.join(outputDir, SEED_KNOWLEDGE_DIR)}"`],
  };
}

/** A workflow's state machine name in a deployment with this prefix. */
export function stateMachineName(namePrefix: string, workflowId: string): string {
  return `${namePrefix}-${workflowId}`;
}

function pascal(id: string): string {
  return id.replace(/(^|[-_.])(\w)/g, (_, __, c: string) => c.toUpperCase());
}

/** The nearest CloudWatch retention at or above the requested days. */
export function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays)
    .filter((v): v is logs.RetentionDays => typeof v === 'number' && v > 0)
    .sort((a, b) => a - b);
  return allowed.find((v) => v >= days) ?? logs.RetentionDays.TEN_YEARS;
}
