/**
 * `AiosStack`: the whole AI OS in one stack, derived from the definition at
 * synth time. A business can use it in its own CDK app:
 *
 * @example
 * import { App } from 'aws-cdk-lib';
 * import { AiosStack } from 'aios/infra';
 * new AiosStack(new App(), 'Aios', { os: loadValidOs(myDefinition), settings: { senderEmail: 'aios@acme.example' } });
 */
import path from 'node:path';
import { CfnOutput, CustomResource, Stack, type StackProps } from 'aws-cdk-lib';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ValidOs } from '../shared/definition';
import { AiosAlarms } from './constructs/alarms';
import { AiosAuditArchive } from './constructs/audit-archive';
import { AiosFunctionSchedules } from './constructs/function-schedules';
import { AiosApprovalsAndWebhooksApi } from './constructs/approvals-and-webhooks-api';
import { AiosBusAndRules } from './constructs/bus-and-rules';
import { AiosConsole } from './constructs/console';
import { AiosData } from './constructs/data';
import { AiosEmail } from './constructs/email';
import { AiosFunctions } from './constructs/functions';
import { AiosSchedules } from './constructs/schedules';
import { AiosSecrets } from './constructs/secrets';
import { AiosPayloads } from './constructs/payloads';
import { AiosWorkflows } from './constructs/workflows';
import { seedDigest } from './seed-digest';
import { definitionModuleFromEnv } from './tool-entries';
import { planDeployment, type DeploymentPlan } from '../shared/deployment/deployment-plan';
import { OUTPUT_KEYS, SECRET_DESCRIPTION, WORKFLOW_DESCRIPTION, secretOutputKey, tableOutputKey, workflowOutputKey } from '../shared/deployment/outputs';
import { APPROVAL_LINK_SECRET } from '../shared/deployment/statements';
import { resolveSettings, settingsFromContext, type AiosSettings, type AiosSettingsInput } from './settings';

/** Days a stored webhook delivery is kept. */
const PAYLOAD_EXPIRE_DAYS = 30;

export interface AiosStackProps extends StackProps {
  /** The validated business definition (`currentOs()` for this repository's `os/`). */
  os: ValidOs;
  /** Overrides of the CDK context settings (see infra/settings.ts). */
  settings?: AiosSettingsInput;
  /** Where `functions/` and `package-lock.json` are; default the repository this file is in. */
  projectRoot?: string;
  /**
   * The module whose default export `os` is, relative to projectRoot (default AIOS_OS_MODULE, else
   * `os/index.ts`): each tool's function bundles only the module that declares its tool.
   */
  definitionModule?: string;
}

export class AiosStack extends Stack {
  readonly plan: DeploymentPlan;
  readonly settings: AiosSettings;
  readonly data: AiosData;
  readonly secrets: AiosSecrets;
  readonly email: AiosEmail;
  readonly busAndRules: AiosBusAndRules;
  readonly api: AiosApprovalsAndWebhooksApi;
  readonly functions: AiosFunctions;
  readonly workflows: AiosWorkflows;
  readonly schedules: AiosSchedules;
  readonly alarms: AiosAlarms;
  readonly console: AiosConsole;
  readonly knowledgeSeed: CustomResource;
  readonly payloads: AiosPayloads;
  readonly auditArchive: AiosAuditArchive;
  readonly functionSchedules: AiosFunctionSchedules;

  constructor(scope: Construct, id: string, props: AiosStackProps) {
    super(scope, id, { description: `AIOS: ${props.os.name}`, ...props });
    const { os } = props;
    this.settings = resolveSettings({ ...settingsFromContext((k) => this.node.tryGetContext(k)), ...props.settings }, os);
    this.plan = planDeployment(os, this.settings.embeddingsModel ? { embeddingsModel: this.settings.embeddingsModel } : {});
    const settings = this.settings;

    this.data = new AiosData(this, 'Data', { retainData: settings.retainData, ...(settings.adoptRetained ? { adoptRetained: settings.adoptRetained } : {}) });
    this.secrets = new AiosSecrets(this, 'Secrets', {
      namePrefix: settings.namePrefix,
      retainData: settings.retainData,
      adoptRetained: settings.adoptRetained !== undefined,
      toolSecrets: os.tools.flatMap((t) => t.secrets),
    });
    this.email = new AiosEmail(this, 'Email', { senderEmail: settings.senderEmail, senderIdentity: settings.senderIdentity });
    this.busAndRules = new AiosBusAndRules(this, 'Events', {
      busName: settings.namePrefix,
      retainData: settings.retainData,
      archiveRetentionDays: settings.archiveRetentionDays,
    });
    this.api = new AiosApprovalsAndWebhooksApi(this, 'Api', { settings });
    this.payloads = new AiosPayloads(this, 'Payloads', { retainData: settings.retainData, expireDays: PAYLOAD_EXPIRE_DAYS });
    this.auditArchive = new AiosAuditArchive(this, 'AuditArchive', { retentionDays: settings.auditRetentionDays });
    this.functions = new AiosFunctions(this, 'Functions', {
      specs: this.plan.functions,
      os,
      settings,
      data: this.data,
      bus: this.busAndRules.bus,
      email: this.email,
      secrets: this.secrets,
      publicUrl: this.api.url,
      payloadBucket: this.payloads.bucket,
      auditArchiveBucket: this.auditArchive.bucket,
      projectRoot: props.projectRoot ?? path.resolve(__dirname, '..'),
      definitionModule: props.definitionModule ?? definitionModuleFromEnv(),
    });
    this.auditArchive.connect(this.functions.byId.get('audit-archive')!, this.data.tables.audit);
    this.functionSchedules = new AiosFunctionSchedules(this, 'Sweeps', {
      specs: this.plan.functions,
      functions: this.functions.byId,
      namePrefix: settings.namePrefix,
    });
    this.api.routeApprovals(this.functions.byId.get('approval-http')!);
    this.api.routeWebhooks(this.functions.byId.get('webhook-ingest')!);

    this.workflows = new AiosWorkflows(this, 'Workflows', { workflows: this.plan.workflows, functionsByPlaceholder: this.functions.byPlaceholder, settings });
    this.busAndRules.addWorkflowRules(this.plan.rules, this.workflows.machines);
    this.busAndRules.addRunEndRule(this.plan.runEndRule, this.workflows.machines, this.functions.byId.get(this.plan.runEndRule?.functionId ?? 'emit-event')!);
    this.schedules = new AiosSchedules(this, 'Schedules', {
      schedules: this.plan.schedules,
      machines: this.workflows.machines,
      namePrefix: settings.namePrefix,
    });

    this.functions.grantOnWorkflows({
      machines: this.workflows.machines,
      rules: { plans: this.plan.rules, rules: this.busAndRules.rules },
      schedules: { plans: this.plan.schedules, schedules: this.schedules.schedules, role: this.schedules.role },
    });
    this.console = new AiosConsole(this, 'Console', {
      fn: this.functions.byId.get('console')!,
      api: this.api,
      machines: this.workflows.machines,
      rules: { plans: this.plan.rules, rules: this.busAndRules.rules },
      schedules: { plans: this.plan.schedules, schedules: this.schedules.schedules, role: this.schedules.role },
    });

    const deadLetterQueues = new Map<string, sqs.IQueue>([['rules', this.busAndRules.deadLetters]]);
    if (this.schedules.deadLetters) deadLetterQueues.set('schedules', this.schedules.deadLetters);
    this.alarms = new AiosAlarms(this, 'Alarms', {
      emails: settings.alarmEmails,
      machines: this.workflows.machines,
      functions: this.functions.byId,
      deadLetterQueues,
    });

    // The seed knowledge is loaded by the same sync as `aios knowledge sync`, on every deploy that changes it.
    this.knowledgeSeed = new CustomResource(this, 'KnowledgeSeed', {
      serviceToken: this.functions.byId.get('knowledge-sync')!.functionArn,
      resourceType: 'Custom::AiosKnowledgeSeed',
      properties: { SeedDigest: seedDigest(path.resolve(props.projectRoot ?? path.resolve(__dirname, '..'), os.knowledge.seedDir)) },
    });

    this.addDeploymentOutputs();
  }

  /** Every name the CLI and the business need (shared/deployment/outputs.ts reads them back). */
  private addDeploymentOutputs(): void {
    const out = (key: string, value: string, description: string) => new CfnOutput(this, key, { value, description });
    out(OUTPUT_KEYS.namePrefix, this.settings.namePrefix, "Prefix of this deployment's names");
    out(OUTPUT_KEYS.region, this.region, 'The region of this deployment');
    out(OUTPUT_KEYS.apiUrl, this.api.url, 'Approval pages and webhooks (POST <url>/webhooks/<source>)');
    out(OUTPUT_KEYS.consoleUrl, this.console.url, 'The web console: sign in with the email address of a person in the definition');
    out(OUTPUT_KEYS.busName, this.busAndRules.bus.eventBusName, 'The AIOS event bus');
    out(OUTPUT_KEYS.senderEmail, this.settings.senderEmail, 'Verify this SES identity before runs send mail');
    out(OUTPUT_KEYS.alarmTopicArn, this.alarms.topic.topicArn, 'Alarms (emailed to the admins)');
    out(
      OUTPUT_KEYS.auditArchiveBucket,
      this.auditArchive.bucket.bucketName,
      `The audit stream's archive (S3 Object Lock, compliance mode, ${this.settings.auditRetentionDays} days): aios audit verify --archive`,
    );
    out(OUTPUT_KEYS.payloadBucket, this.payloads.bucket.bucketName, 'Webhook deliveries too big for an event (detail.aiosPayload names the object)');
    for (const id of ['knowledge', 'state', 'audit'] as const) out(tableOutputKey(id), this.data.tables[id].tableName, `The ${id} table`);
    for (const [workflowId, machine] of this.workflows.machines)
      out(workflowOutputKey(workflowId), machine.stateMachineArn, `${WORKFLOW_DESCRIPTION}${workflowId}`);
    for (const name of [APPROVAL_LINK_SECRET, ...this.secrets.webhooks.keys()]) {
      out(
        secretOutputKey(name),
        `${this.settings.namePrefix}/${name}`,
        `${SECRET_DESCRIPTION}${name}${name.startsWith('webhook-') ? " (put the vendor's signing secret in it)" : ''}`,
      );
    }
    for (const [name, { secretName, byName }] of this.secrets.tools) {
      out(secretOutputKey(name), secretName, `${SECRET_DESCRIPTION}${name}${byName ? " (a tool's, read by name)" : " (a tool's: put its value in it)"}`);
    }
  }
}
