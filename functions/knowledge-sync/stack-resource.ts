/**
 * The knowledge seed as a CloudFormation custom resource: on create and
 * update (the seed's digest is a property, so a changed seed updates it) the
 * same idempotent sync as `aios knowledge sync` runs against the deployed
 * table; delete leaves the knowledge alone (it is data, retained with the
 * table). The outcome goes back to CloudFormation through the pre-signed
 * response URL, so a failed sync fails the deploy with its reason.
 */
import * as z from '../../shared/mini-zod';
import type { SyncReport } from '../../shared/knowledge/seed-sync';

/** Built on the first event, not while the function loads. */
export const stackEventSchema = /* @__PURE__ */ z.builtOnFirstUse(() =>
  z.object({
    RequestType: z.enum(['Create', 'Update', 'Delete']),
    ResponseURL: z.url(),
    StackId: z.string(),
    RequestId: z.string(),
    LogicalResourceId: z.string(),
    PhysicalResourceId: z.optional(z.string()),
  }),
);

export type StackEvent = z.infer<ReturnType<typeof stackEventSchema>>;

export interface StackResourceDeps {
  sync(): Promise<SyncReport>;
  fetch: typeof fetch;
}

/** The physical id: one seed per stack, so the resource is never replaced. */
const PHYSICAL_ID = 'aios-knowledge-seed';

export async function handleStackEvent(raw: unknown, deps: StackResourceDeps): Promise<{ status: 'SUCCESS' | 'FAILED'; reason?: string }> {
  const event = z.parse(stackEventSchema(), raw);
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'seed knowledge synced';
  let data: Record<string, number> = {};
  if (event.RequestType !== 'Delete') {
    try {
      const report = await deps.sync();
      data = { created: report.created.length, updated: report.updated.length, unchanged: report.unchanged.length, retired: report.retired.length };
      reason = `seed knowledge synced: ${data.created} created, ${data.updated} updated, ${data.unchanged} unchanged, ${data.retired} retired`;
    } catch (error) {
      status = 'FAILED';
      reason = `seed knowledge sync failed: ${(error as Error).message}`.slice(0, 1000);
    }
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  // The pre-signed URL is signed for an empty content type.
  const response = await deps.fetch(event.ResponseURL, {
    method: 'PUT',
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  if (!response.ok) throw new Error(`CloudFormation did not take the response: ${response.status}`);
  return { status, ...(status === 'FAILED' ? { reason } : {}) };
}
