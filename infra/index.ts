/** The AIOS CDK constructs, for use in a business's own CDK app. */
export { AiosStack, type AiosStackProps } from './aios-stack';
export { AiosAlarms } from './constructs/alarms';
export { AiosApprovalsAndWebhooksApi } from './constructs/approvals-and-webhooks-api';
export { AiosBusAndRules } from './constructs/bus-and-rules';
export { AiosData } from './constructs/data';
export { AiosEmail } from './constructs/email';
export { AiosFunctions } from './constructs/functions';
export { AiosSchedules } from './constructs/schedules';
export { AiosSecrets } from './constructs/secrets';
export { AiosWorkflows } from './constructs/workflows';
export { planDeployment, type DeploymentPlan } from '../shared/deployment/deployment-plan';
export { resolveSettings, type AiosSettings, type AiosSettingsInput } from './settings';
