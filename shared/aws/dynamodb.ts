/** The DynamoDB client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { cachedClient } from './client-config';

// Pure: a bundle that never asks for this client drops it and its SDK package.
export const dynamoDbClient = /* @__PURE__ */ cachedClient('DYNAMODB', (config) => new DynamoDBClient(config));
