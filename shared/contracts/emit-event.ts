/** `aios-emit-event`: announces a run's start and end, or publishes an `emit` step's event. */
import * as z from '../mini-zod';
import { runFieldsSchema } from './run-fields';

// Built by functions marked free of side effects, as in run-fields.ts.
export const emitEventInputSchema = /* @__PURE__ */ (() =>
  z.extend(runFieldsSchema, {
    detailType: z.string().check(z.minLength(1), z.maxLength(128)),
    detail: z._default(z.record(z.string(), z.unknown()), {}),
  }))();

export type EmitEventInput = z.input<typeof emitEventInputSchema>;

/**
 * `duplicateOf`: set only by a run's start, when the webhook delivery that
 * started it already started another run of the workflow (that run's id);
 * the compiled workflow then ends at once. Always present, so the ASL can select it.
 */
/* @__NO_SIDE_EFFECTS__ */
export const emitEventOutput = () => z.object({ eventId: z.string(), duplicateOf: z.nullable(z.string()) });

export const emitEventOutputSchema = emitEventOutput();

export type EmitEventOutput = z.infer<typeof emitEventOutputSchema>;
