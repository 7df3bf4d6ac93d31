/**
 * `aios doctor`: checks a deployment before anyone relies on it: each agent's
 * model is Active and its inference profile exists, the agent step may call
 * it, the SES sender is verified (and whether the account is in the sandbox),
 * the secrets are set, the rules are enabled. One line per check; exit 1 on a
 * failure. Names come from the deployment's outputs.
 */
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetAccountCommand, GetEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import { ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import type { Command } from 'commander';
import { currentOs } from '../../functions/current-os';
import { baseModelId } from '../../shared/agents/prices';
import { retiredModel } from '../../shared/agents/retired-models';
import { bedrockControlClient, foundationModel, inferenceProfile } from '../../shared/aws/bedrock-client';
import { createAwsClients } from '../../shared/aws/clients';
import { planDeployment } from '../../shared/deployment/deployment-plan';
import { checkEmail, checkModel, checkSecrets, checkTriggers, renderDoctorReport, type CheckResult, type SecretFacts } from '../../shared/deployment/doctor';
import type { DeploymentOutputs } from '../../shared/deployment/outputs';
import type { AiosEnvironment } from '../../shared/composition/environment';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { requireDeploymentOutputs, type TargetOptions } from '../deployment-names';
import { printOut } from '../terminal-text';

const INFERENCE_PROFILE = /^(us|eu|apac|us-gov|global|ca|jp|au)\./;

async function awsChecks(env: AiosEnvironment, outputs: DeploymentOutputs): Promise<CheckResult[]> {
  const os = currentOs(env.vars);
  const clients = createAwsClients({}, env.vars);
  const plan = planDeployment(os);
  const results: CheckResult[] = [];
  const bedrock = bedrockControlClient({}, env.vars);
  for (const model of [...new Set(os.agents.map((a) => a.model))]) {
    const profile = INFERENCE_PROFILE.test(model) ? await inferenceProfile(bedrock, model) : undefined;
    results.push(...checkModel(model, await foundationModel(bedrock, baseModelId(model)), profile, plan));
  }
  const ses = clients.sesV2();
  const identity = await ses.send(new GetEmailIdentityCommand({ EmailIdentity: outputs.senderEmail })).catch((e: Error) => ({ error: { name: e.name } }));
  results.push(...checkEmail(outputs.senderEmail, identity, await ses.send(new GetAccountCommand({}))));
  const secrets: SecretFacts[] = [];
  for (const [name, id] of Object.entries(outputs.secrets)) {
    const described = await clients
      .secretsManager()
      .send(new DescribeSecretCommand({ SecretId: id }))
      .catch(() => undefined);
    const toolPlaceholder = os.tools.some((t) => t.secrets.some((s) => s.name === name && !s.awsSecretName));
    secrets.push({ name, toolPlaceholder, ...(described ? { described } : {}) });
  }
  results.push(...checkSecrets(secrets));
  const rules = await clients.eventBridge().send(new ListRulesCommand({ EventBusName: outputs.busName }));
  const found = new Map<string, string>();
  // CloudFormation names the rules; each one's description starts with its workflow id.
  for (const r of plan.rules.filter((p) => p.bus === 'aios')) {
    const rule = (rules.Rules ?? []).find((x) => (x.Description ?? '').startsWith(`${r.workflowId}:`));
    found.set(`${r.workflowId}#${r.index}`, rule?.State ?? '');
  }
  const schedules = new Map<string, string>();
  for (const s of plan.schedules) {
    const name = `${outputs.namePrefix}-${s.workflowId}-${s.index}`.slice(0, 64);
    const got = await clients
      .scheduler()
      .send(new GetScheduleCommand({ Name: name }))
      .catch(() => undefined);
    schedules.set(name, got?.State ?? '');
  }
  results.push(...checkTriggers({ rules: [...found.keys()], schedules: [...schedules.keys()] }, { rules: found, schedules }));
  return results;
}

async function localChecks(env: AiosEnvironment, outputs: DeploymentOutputs): Promise<CheckResult[]> {
  const os = currentOs(env.vars);
  // One line per model, as on AWS: agents sharing a model printed the same line twice.
  const results: CheckResult[] = [...new Set(os.agents.map((a) => a.model))].map((model) => {
    const retired = retiredModel(model);
    return retired
      ? { status: 'fail' as const, subject: `model ${model}`, detail: `retired on Bedrock ${retired.endOfLife}; use ${retired.successor}` }
      : { status: 'pass' as const, subject: `model ${model}`, detail: 'not known to be retired (the local runtime answers from its model provider)' };
  });
  const rules = await createAwsClients({}, env.vars)
    .eventBridge()
    .send(new ListRulesCommand({ EventBusName: outputs.busName }));
  const found = new Map((rules.Rules ?? []).map((r) => [r.Name!, r.State ?? '']));
  results.push(...checkTriggers({ rules: [...found.keys()], schedules: [] }, { rules: found, schedules: new Map() }));
  results.push({ status: 'pass', subject: 'secrets', detail: `${Object.keys(outputs.secrets).length} kept in the data folder` });
  return results;
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  program
    .command('doctor')
    .description(
      'check a deployment before relying on it: models Active and callable, SES sender verified and sandbox status, secrets set, rules and schedules enabled; exit 1 on a failure',
    )
    .action(async () => {
      const env = cli.current();
      const outputs = await requireDeploymentOutputs(program.opts<TargetOptions>(), env.vars);
      printOut(`AIOS doctor: ${outputs.target === 'aws' ? `stack in ${outputs.region}` : `local runtime at ${outputs.apiUrl}`}\n`);
      const report = renderDoctorReport(outputs.target === 'aws' ? await awsChecks(env, outputs) : await localChecks(env, outputs));
      printOut(report.text);
      if (report.failed) process.exitCode = 1;
    });
}
