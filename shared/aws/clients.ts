/**
 * Every AWS client behind one object, for the code that talks to many
 * services (the CLI, the local runtime, tests). Lambda code imports the one
 * service module it needs instead (sfn.ts, dynamodb.ts …), so its bundle
 * carries only that SDK client.
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { bedrockRuntimeClient } from './bedrock-runtime';
import type { ClientOptions } from './client-config';
import { dynamoDbClient } from './dynamodb';
import { eventBridgeClient } from './eventbridge';
import { schedulerClient } from './scheduler';
import { secretsManagerClient } from './secrets-manager';
import { sesV2Client } from './sesv2';
import { sfnClient } from './sfn';

export type { ClientOptions } from './client-config';

export interface AwsClients {
  sfn(): SFNClient;
  eventBridge(): EventBridgeClient;
  dynamoDb(): DynamoDBClient;
  sesV2(): SESv2Client;
  bedrockRuntime(): BedrockRuntimeClient;
  secretsManager(): SecretsManagerClient;
  scheduler(): SchedulerClient;
}

/** Clients for these options and environment (the environment is read when a client is asked for). */
export function createAwsClients(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env): AwsClients {
  return {
    sfn: () => sfnClient(options, env),
    eventBridge: () => eventBridgeClient(options, env),
    dynamoDb: () => dynamoDbClient(options, env),
    sesV2: () => sesV2Client(options, env),
    bedrockRuntime: () => bedrockRuntimeClient(options, env),
    secretsManager: () => secretsManagerClient(options, env),
    scheduler: () => schedulerClient(options, env),
  };
}

/** The process's clients, from its environment as it is when each client is asked for. */
export function awsClients(): AwsClients {
  return createAwsClients();
}
