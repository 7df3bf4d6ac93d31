/** The DynamoDB client (see client-config.ts for endpoints); the only module that imports its SDK client. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { cachedClient } from './client-config';

export const dynamoDbClient = cachedClient('DYNAMODB', (config) => new DynamoDBClient(config));
