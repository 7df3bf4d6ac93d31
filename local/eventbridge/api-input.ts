/** Reading the AWS JSON 1.1 request of the local EventBridge: typed fields, its errors, paging, ARNs. */
import { AwsServiceError } from '../server/aws-json-service';

export type Input = Record<string, unknown>;

export const notFound = (what: string) => new AwsServiceError('ResourceNotFoundException', `${what} does not exist.`);
export const invalid = (message: string) => new AwsServiceError('ValidationException', message);

export function optionalString(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`Parameter ${key} must be a string.`);
  return value;
}

export function requiredString(input: Input, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined || value === '')
    throw invalid(`1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function page<T>(items: T[], input: Input): { items: T[]; nextToken?: string } {
  const start = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64url').toString()) || 0 : 0;
  const limit = typeof input.Limit === 'number' && input.Limit > 0 ? input.Limit : 100;
  const slice = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return { items: slice, ...(next ? { nextToken: next } : {}) };
}

/** A bus name from a name or an ARN; none means `default`. */
export function busNameOf(value: string | undefined): string {
  if (value === undefined || value === '') return 'default';
  const slash = value.indexOf(':event-bus/');
  return value.startsWith('arn:') && slash >= 0 ? value.slice(slash + ':event-bus/'.length) : value;
}

/** The account and region the local EventBridge names its resources in. */
export class EventBridgeArns {
  constructor(
    readonly account: string,
    readonly region: string,
  ) {}

  bus(name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:event-bus/${name}`;
  }

  rule(bus: string, name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
  }
}
