/** `aios-emit-event`: announces a run's start and end, or publishes an `emit` step's event. */
import * as z from 'zod';
import { runFieldsSchema } from './run-fields';

export const emitEventInputSchema = runFieldsSchema.extend({
  detailType: z.string().min(1).max(128),
  detail: z.record(z.string(), z.unknown()).default({}),
});

export type EmitEventInput = z.input<typeof emitEventInputSchema>;

/**
 * `duplicateOf`: set only by a run's start, when the webhook delivery that
 * started it already started another run of the workflow (that run's id);
 * the compiled workflow then ends at once. Always present, so the ASL can select it.
 */
export const emitEventOutputSchema = z.object({ eventId: z.string(), duplicateOf: z.string().nullable() });

export type EmitEventOutput = z.infer<typeof emitEventOutputSchema>;
