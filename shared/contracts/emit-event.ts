/** `aios-emit-event`: announces a run's start and end, or publishes an `emit` step's event. */
import * as z from 'zod';
import { runFieldsSchema } from './run-fields';

export const emitEventInputSchema = runFieldsSchema.extend({
  detailType: z.string().min(1).max(128),
  detail: z.record(z.string(), z.unknown()).default({}),
});

export type EmitEventInput = z.input<typeof emitEventInputSchema>;

export const emitEventOutputSchema = z.object({ eventId: z.string() });

export type EmitEventOutput = z.infer<typeof emitEventOutputSchema>;
