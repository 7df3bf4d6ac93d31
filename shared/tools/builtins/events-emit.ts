import * as z from '../../mini-zod';
import { defineTool } from '../../definition/tool';
import { AiosError } from '../../errors';

/** Puts one event on the AIOS bus (source `aios.agent`) for other workflows and systems, through the same publisher as webhooks and runs. */
export const eventsEmit = defineTool({
  id: 'events.emit',
  description: 'Publish an event on the business event bus so that other workflows or systems can react to it.',
  input: z.strictObject({
    detailType: z.string().check(
      z.minLength(1),
      z.maxLength(128),
      z.refine((t) => !t.startsWith('aios.'), 'detail types starting with "aios." are reserved for the system'),
    ),
    detail: z.record(z.string(), z.unknown()),
  }),
  sideEffect: 'write',
  idempotent: false,
  handler: async (input, ctx) => {
    const [eventId] = await ctx.ports.publisher.publish([
      {
        source: 'aios.agent',
        detailType: input.detailType,
        detail: { ...input.detail, aios: { runId: ctx.runId, agentId: ctx.agentId, toolUseId: ctx.toolUseId } },
        time: new Date(),
      },
    ]);
    if (!eventId) throw new AiosError('Tool.EmitFailed', 'the event was not accepted: no event id');
    return { eventId };
  },
});
