/**
 * Every Lambda of the deployment: the system functions and one function per
 * tool a workflow invokes, each bundled by the local esbuild (no Docker),
 * nodejs22.x on arm64 with JSON logs, each with its OWN role holding only
 * what its spec needs (infra/plan/function-specs.ts, tool-needs.ts).
 */
import path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ValidOs } from '../../shared/definition';
import { baseModelId } from '../../shared/agents/prices';
import type { AiosSettings } from '../settings';
import { prefixedFunctionName, type FunctionSpec } from '../plan/function-specs';
import type { AiosData } from './data';
import type { AiosEmail } from './email';
import type { AiosSecrets } from './secrets';

export interface AiosFunctionsProps {
  specs: readonly FunctionSpec[];
  os: ValidOs;
  settings: AiosSettings;
  data: AiosData;
  bus: events.IEventBus;
  email: AiosEmail;
  secrets: AiosSecrets;
  /** The approvals and webhooks API base URL (AIOS_PUBLIC_URL, AIOS_WEBHOOK_BASE_URL). */
  publicUrl: string;
  /** The repository root (entries and the lock file are relative to it). */
  projectRoot: string;
}

/** The application log level of every function. */
const APPLICATION_LOG_LEVEL = lambda.ApplicationLogLevel.INFO;

// Cross-region inference profiles (`us.anthropic…`) route to the model in any region of the group.
const INFERENCE_PROFILE = /^(us|eu|apac|us-gov|global|ca|jp|au)\./;

export class AiosFunctions extends Construct {
  /** Function by spec id (`agent-step`, `tool-refunds-issue`, …). */
  readonly byId: ReadonlyMap<string, nodejs.NodejsFunction>;
  /** Function by ASL placeholder (`FnAgentStep`, `FnTool_refunds_issue`, …). */
  readonly byPlaceholder: ReadonlyMap<string, nodejs.NodejsFunction>;
  private readonly specs: readonly FunctionSpec[];

  constructor(scope: Construct, id: string, props: AiosFunctionsProps) {
    super(scope, id);
    this.specs = props.specs;
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

  /** Lets the approval pages answer the task tokens of these state machines. */
  grantTaskResponse(machines: readonly sfn.IStateMachine[]): void {
    const needing = this.specs.filter((s) => s.needs.includes('taskResponse'));
    if (machines.length === 0) return;
    for (const spec of needing) {
      this.byId.get(spec.id)?.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: machines.map((m) => m.stateMachineArn) }),
      );
    }
  }

  private createFunction(spec: FunctionSpec, props: AiosFunctionsProps): nodejs.NodejsFunction {
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
    if (spec.toolId) {
      environment.AIOS_TOOL_ID = spec.toolId;
      if (settings.businessApiUrl) environment.AIOS_BUSINESS_API_URL = settings.businessApiUrl;
    }

    const fn = new nodejs.NodejsFunction(scope, 'Function', {
      functionName: prefixedFunctionName(spec.functionName, settings.namePrefix),
      description: spec.toolId ? `AIOS tool ${spec.toolId}` : `AIOS ${spec.id}`,
      entry: path.join(props.projectRoot, spec.entry),
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

  /** Grants the role what the spec needs and returns the env vars that tell the function where those things are. */
  private grantNeeds(spec: FunctionSpec, role: iam.Role, props: AiosFunctionsProps): Record<string, string> {
    const { data, bus, email, secrets } = props;
    let env: Record<string, string> = {};
    const needs = new Set(spec.needs);
    if (needs.has('state')) data.grantReadWrite('state', role);
    if (needs.has('audit')) data.grantAuditAppend(role);
    if (needs.has('knowledgeWrite')) data.grantReadWrite('knowledge', role);
    else if (needs.has('knowledgeRead')) data.grantRead('knowledge', role);
    env = { ...env, ...data.environment((['knowledge', 'state', 'audit'] as const).filter((t) => (t === 'knowledge' ? needs.has('knowledgeRead') || needs.has('knowledgeWrite') : needs.has(t)))) };
    if (needs.has('bus')) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }));
      env.AIOS_BUS_NAME = bus.eventBusName;
    }
    if (needs.has('email')) {
      env = { ...env, ...email.grantSendFrom(role) };
      const from = spec.toolId ? props.os.tools.find((t) => t.id === spec.toolId)?.config.from : undefined;
      if (typeof from === 'string' && !from.includes(email.senderEmail)) {
        // The role may send only from the SES identity: a tool configured with another sender would be refused at run time.
        Validations.of(role).addWarning('AiosSenderMismatch', `tool ${spec.toolId} sends from "${from}" but may only send from ${email.senderEmail}: set its config.from to the sender or deploy with -c senderEmail=<its address>`);
      }
    }
    if (needs.has('linkKey')) env = { ...env, ...secrets.grantLinkKey(role) };
    if (needs.has('webhookSecrets')) env = { ...env, ...secrets.grantWebhookSecrets(role), AIOS_WEBHOOK_BASE_URL: props.publicUrl };
    if (needs.has('publicUrl')) env.AIOS_PUBLIC_URL = props.publicUrl;
    if (needs.has('bedrock')) this.grantModels(role, props.os);
    for (const statement of spec.toolId ? (props.os.tools.find((t) => t.id === spec.toolId)?.permissions ?? []) : []) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...statement.actions], resources: [...statement.resources] }));
    }
    return env;
  }

  /** bedrock:InvokeModel (Converse) on exactly the agents' models, and their guardrails. */
  private grantModels(role: iam.Role, os: ValidOs): void {
    const stack = Stack.of(this);
    const resources = new Set<string>();
    const anyRegion: string[] = [];
    for (const agent of os.agents) {
      const model = agent.model;
      if (model.startsWith('arn:')) {
        resources.add(model);
      } else if (INFERENCE_PROFILE.test(model)) {
        resources.add(stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: model }));
        const foundation = `arn:${stack.partition}:bedrock:*::foundation-model/${baseModelId(model)}`;
        resources.add(foundation);
        anyRegion.push(baseModelId(model));
      } else {
        resources.add(stack.formatArn({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: model }));
      }
    }
    if (resources.size > 0) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [...resources].sort() }));
    const guardrails = [...new Set(os.agents.flatMap((a) => (a.guardrail ? [a.guardrail.id] : [])))].sort();
    if (guardrails.length > 0) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['bedrock:ApplyGuardrail'], resources: guardrails.map((g) => stack.formatArn({ service: 'bedrock', resource: 'guardrail', resourceName: g })) }),
      );
    }
    for (const model of [...new Set(anyRegion)]) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${model}]`,
        reason: `A cross-region inference profile may serve ${model} from any region of its group; Bedrock requires InvokeModel on the foundation model in each of those regions. The model id is fixed.`,
      });
    }
  }
}

function pascal(id: string): string {
  return id.replace(/(^|[-_.])(\w)/g, (_, __, c: string) => c.toUpperCase());
}

/** The nearest CloudWatch retention at or above the requested days. */
export function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((v): v is logs.RetentionDays => typeof v === 'number' && v > 0).sort((a, b) => a - b);
  return allowed.find((v) => v >= days) ?? logs.RetentionDays.TEN_YEARS;
}
