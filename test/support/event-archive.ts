/** The local bus's archive (`LocalListEvents`, as `aios events list` reads it): what it accepted, with each delivery made. */

export interface ArchivedEvent {
  EventId: string;
  Source: string;
  DetailType: string;
  Deliveries: { Rule: string; TargetId: string; Status: string }[];
}

/** The events the local runtime at `url` accepted, newest first (at most 1,000), of one source if given. */
export async function archivedEvents(url: string, source?: string): Promise<ArchivedEvent[]> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.LocalListEvents' },
    body: JSON.stringify({ ...(source ? { Source: source } : {}), Limit: 1000 }),
  });
  if (!response.ok) throw new Error(`LocalListEvents: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { Events: ArchivedEvent[] }).Events;
}
