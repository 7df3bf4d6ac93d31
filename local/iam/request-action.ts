/**
 * What an AWS request asks IAM for: its action (`dynamodb:PutItem`), the
 * resources it touches (ARNs) and the condition keys AIOS's statements use.
 * Covers the calls AIOS functions make to the local runtime; any other
 * request is undescribed and goes through unchecked.
 */
import { jsonObjectOf } from '../server/replayed-request';

export interface AwsRequestParts {
  method: string;
  /** Path and query, as the server received it. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body as a JSON object, once parsed here (null: not one); kept so the listener behind the check need not parse it again. */
  json?: Record<string, unknown> | null;
}

/** How the service answers errors: JSON protocols (`__type`), REST JSON (403 + header) or S3's XML. */
export type ErrorShape = { protocol: 'json'; jsonVersion: string } | { protocol: 'rest-json' } | { protocol: 'rest-xml' };

export interface RequestedAction {
  action: string;
  resources: string[];
  /** Condition keys and their values in this request (`ses:FromAddress`, `dynamodb:LeadingKeys`). */
  context: Record<string, string[]>;
  errorShape: ErrorShape;
}

export interface ArnScope {
  region: string;
  accountId: string;
  /** The state machine a task token belongs to (task responses are authorised on it). */
  stateMachineOfToken(token: string): string | undefined;
}

const JSON_SERVICES: Record<string, { prefix: string; jsonVersion: string }> = {
  DynamoDB_20120810: { prefix: 'dynamodb', jsonVersion: '1.0' },
  AWSStepFunctions: { prefix: 'states', jsonVersion: '1.0' },
  AWSEvents: { prefix: 'events', jsonVersion: '1.1' },
};

/** EventBridge operations whose resource is the rule named in the request. */
const RULE_OPERATIONS = new Set(['DisableRule', 'EnableRule', 'DescribeRule', 'PutRule', 'DeleteRule', 'PutTargets', 'RemoveTargets', 'ListTargetsByRule']);

/** A rule's ARN: `rule/<name>` on the default bus, `rule/<bus>/<name>` on any other (the bus given by name or ARN). */
export function ruleArn(scope: Pick<ArnScope, 'region' | 'accountId'>, bus: unknown, name: string): string {
  const busName = typeof bus === 'string' ? bus.replace(/^arn:[^:]+:events:[^:]*:[^:]*:event-bus\//, '') : 'default';
  return `arn:aws:events:${scope.region}:${scope.accountId}:rule/${busName === 'default' ? name : `${busName}/${name}`}`;
}

// Inference profile ids start with a geography (`us.`, `global.` …).
const INFERENCE_PROFILE = /^(us|eu|apac|us-gov|global|ca|jp|au)\./;

function header(parts: AwsRequestParts, name: string): string | undefined {
  const v = parts.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function jsonBody(parts: AwsRequestParts): Record<string, unknown> {
  if (parts.json === undefined) parts.json = jsonObjectOf(parts.body) ?? null;
  return parts.json ?? {};
}

/** The access key id a request is signed with (SigV4 `Authorization` header), if any. */
export function accessKeyIdOf(headers: AwsRequestParts['headers']): string | undefined {
  const auth = headers.authorization;
  const value = Array.isArray(auth) ? auth[0] : auth;
  return value ? /Credential=([^/,\s]+)\//.exec(value)?.[1] : undefined;
}

/** The address inside `Name <address>` or a bare address. */
export function emailAddressOf(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
}

/** Describes a request, or undefined when it is not one of the calls checked locally. */
export function describeRequest(parts: AwsRequestParts, scope: ArnScope): RequestedAction | undefined {
  const arn = (service: string, resource: string, account = scope.accountId) => `arn:aws:${service}:${scope.region}:${account}:${resource}`;
  const target = header(parts, 'x-amz-target');
  if (target && parts.method === 'POST') {
    const dot = target.lastIndexOf('.');
    const service = JSON_SERVICES[target.slice(0, dot)];
    if (!service) return undefined;
    const operation = target.slice(dot + 1);
    const body = jsonBody(parts);
    const base = { action: `${service.prefix}:${operation}`, errorShape: { protocol: 'json' as const, jsonVersion: service.jsonVersion } };
    if (service.prefix === 'dynamodb') return { ...base, ...dynamoDbTargets(operation, body, (name) => arn('dynamodb', `table/${name}`)) };
    if (service.prefix === 'states') return { ...base, resources: stepFunctionsResources(body, scope), context: {} };
    const entries = Array.isArray(body.Entries) ? (body.Entries as { EventBusName?: string }[]) : [];
    const busArn = (name: string | undefined) => (name?.startsWith('arn:') ? name : arn('events', `event-bus/${name ?? 'default'}`));
    if (operation === 'PutEvents') return { ...base, resources: [...new Set(entries.map((e) => busArn(e.EventBusName)))], context: {} };
    // Operations on one rule act on the rule, not on its bus.
    const rule = operation === 'PutTargets' || operation === 'RemoveTargets' || operation === 'ListTargetsByRule' ? body.Rule : body.Name;
    if (RULE_OPERATIONS.has(operation) && typeof rule === 'string') return { ...base, resources: [ruleArn(scope, body.EventBusName, rule)], context: {} };
    return { ...base, resources: [busArn(body.EventBusName as string | undefined)], context: {} };
  }
  const path = parts.url.split('?')[0];
  const auth = header(parts, 'authorization') ?? '';
  if (/\/s3\/aws4_request/.test(auth)) {
    // Path-style: /<bucket>/<key>. HeadObject is authorised as GetObject, as on S3.
    const objectArn = `arn:aws:s3:::${decodeURIComponent(path.slice(1))}`;
    const action = { PUT: 's3:PutObject', GET: 's3:GetObject', HEAD: 's3:GetObject', DELETE: 's3:DeleteObject' }[parts.method];
    return action ? { action, resources: [objectArn], context: {}, errorShape: { protocol: 'rest-xml' } } : undefined;
  }
  if (parts.method === 'POST' && path === '/v2/email/outbound-emails') {
    const from = jsonBody(parts).FromEmailAddress;
    const address = typeof from === 'string' ? emailAddressOf(from) : '';
    return {
      action: 'ses:SendEmail',
      resources: [arn('ses', `identity/${address}`)],
      context: { 'ses:FromAddress': [address] },
      errorShape: { protocol: 'rest-json' },
    };
  }
  const model = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(path);
  if (parts.method === 'POST' && model) {
    const modelId = decodeURIComponent(model[1]);
    const action = model[2] === 'converse' ? 'bedrock:InvokeModel' : 'bedrock:InvokeModelWithResponseStream';
    return { action, resources: modelResources(modelId, scope), context: {}, errorShape: { protocol: 'rest-json' } };
  }
  return undefined;
}

function dynamoDbTargets(operation: string, body: Record<string, unknown>, tableArn: (name: string) => string): Pick<RequestedAction, 'resources' | 'context'> {
  const keys: string[] = [];
  const pkOf = (key: unknown) => {
    const pk = (key as { pk?: { S?: string } } | undefined)?.pk?.S;
    if (pk !== undefined) keys.push(pk);
  };
  if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') {
    const items = (body.RequestItems ?? {}) as Record<string, unknown>;
    for (const requests of Object.values(items)) {
      if (Array.isArray(requests))
        for (const r of requests as { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } }[]) pkOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key);
      else for (const key of ((requests as { Keys?: unknown[] }).Keys ?? []) as unknown[]) pkOf(key);
    }
    return { resources: Object.keys(items).map(tableArn), context: { 'dynamodb:LeadingKeys': keys } };
  }
  pkOf(body.Key ?? body.Item);
  if (operation === 'Query') {
    // The partition key a query reads, from `pk = :v` in its key condition.
    const condition = typeof body.KeyConditionExpression === 'string' ? body.KeyConditionExpression : '';
    const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
    const values = (body.ExpressionAttributeValues ?? {}) as Record<string, { S?: string }>;
    const m = /(#?\w+)\s*=\s*(:\w+)/.exec(condition);
    if (m && (names[m[1]] ?? m[1]) === 'pk' && values[m[2]]?.S !== undefined) keys.push(values[m[2]].S!);
  }
  const table = typeof body.TableName === 'string' ? body.TableName : '';
  const index = typeof body.IndexName === 'string' ? `/index/${body.IndexName}` : '';
  return { resources: [tableArn(table) + index], context: { 'dynamodb:LeadingKeys': keys } };
}

function stepFunctionsResources(body: Record<string, unknown>, scope: ArnScope): string[] {
  if (typeof body.taskToken === 'string') return [scope.stateMachineOfToken(body.taskToken) ?? '*'];
  for (const field of ['stateMachineArn', 'executionArn']) if (typeof body[field] === 'string') return [body[field] as string];
  return ['*'];
}

/** The model a Converse call uses: an inference profile is authorised with the model it routes to. */
function modelResources(modelId: string, scope: ArnScope): string[] {
  if (modelId.startsWith('arn:')) return [modelId];
  if (INFERENCE_PROFILE.test(modelId)) {
    const base = modelId.replace(INFERENCE_PROFILE, '');
    return [`arn:aws:bedrock:${scope.region}:${scope.accountId}:inference-profile/${modelId}`, `arn:aws:bedrock:${scope.region}::foundation-model/${base}`];
  }
  return [`arn:aws:bedrock:${scope.region}::foundation-model/${modelId}`];
}
