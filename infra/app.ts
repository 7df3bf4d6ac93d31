/**
 * The CDK app (`npx cdk deploy`, `npm run synth`): one `AiosStack` from the
 * definition in os/ (or AIOS_OS_MODULE), checked by cdk-nag's AWS Solutions
 * rules — any unacknowledged finding fails synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { currentOs } from '../functions/current-os';
import { AiosStack } from './aios-stack';

const app = new App();
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'Aios';
new AiosStack(app, stackName, {
  os: currentOs(),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? process.env.AWS_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
