import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { awsClients } from '../../aws/clients';
import { defineTool } from '../../definition/tool';
import { AiosError } from '../../errors';

/** Puts one event on the AIOS bus (source `aios.agent`) for other workflows and systems. */
export const eventsEmit = defineTool({
  id: 'events.emit',
  description: 'Publish an event on the business event bus so that other workflows or systems can react to it.',
  input: z.strictObject({
    detailType: z
      .string()
      .min(1)
      .max(128)
      .refine((t) => !t.startsWith('aios.'), 'detail types starting with "aios." are reserved for the system'),
    detail: z.record(z.string(), z.unknown()),
  }),
  sideEffect: 'write',
  idempotent: false,
  handler: async (input, ctx) => {
    const out = await awsClients()
      .eventBridge()
      .send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: ctx.env.AIOS_BUS_NAME ?? 'aios',
              Source: 'aios.agent',
              DetailType: input.detailType,
              Detail: JSON.stringify({ ...input.detail, aios: { runId: ctx.runId, agentId: ctx.agentId, toolUseId: ctx.toolUseId } }),
            },
          ],
        }),
      );
    const entry = out.Entries?.[0];
    if (!entry?.EventId) throw new AiosError('Tool.EmitFailed', `the event was not accepted: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
    return { eventId: entry.EventId };
  },
});
