/** Every way the ingest pipeline refuses a request, with its HTTP status and stable code. */
export const REFUSALS = {
  unknownSource: { status: 404, code: 'Webhook.UnknownSource' },
  /** A vendor AIOS knows whose parser this deployment left out: no workflow trigger listens for its events. */
  sourceNotDeployed: { status: 404, code: 'Webhook.SourceNotDeployed' },
  methodNotAllowed: { status: 405, code: 'Webhook.MethodNotAllowed' },
  tooLarge: { status: 413, code: 'Webhook.PayloadTooLarge' },
  unsupportedMediaType: { status: 415, code: 'Webhook.UnsupportedMediaType' },
  invalidJson: { status: 400, code: 'Webhook.InvalidJson' },
  nestedTooDeep: { status: 400, code: 'Webhook.NestedTooDeep' },
  missing_signature: { status: 401, code: 'Webhook.MissingSignature' },
  bad_signature: { status: 401, code: 'Webhook.BadSignature' },
  expired: { status: 401, code: 'Webhook.Expired' },
  invalidPayload: { status: 422, code: 'Webhook.InvalidPayload' },
  inProgress: { status: 409, code: 'Webhook.InProgress' },
  secretUnavailable: { status: 500, code: 'Webhook.SecretUnavailable' },
  internal: { status: 500, code: 'Webhook.Internal' },
  publishFailed: { status: 502, code: 'Webhook.PublishFailed' },
} as const;

export type RefusalKind = keyof typeof REFUSALS;
