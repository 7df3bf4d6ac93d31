/**
 * The definition's `lists` and `facts` sections as classic zod schemas, for
 * validating a definition and the reference docs. Apart from facts.ts, so the
 * gate's bundle, which only computes facts, carries no classic zod.
 */
import * as z from 'zod';
import type { FactDefinition } from './facts';

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a name of letters, digits and _ (it is written in `when` as facts.<name> or lists.<name>)');

export const listsSchema = z
  .record(identifier, z.array(z.union([z.string(), z.number()])))
  .default({})
  .describe('Named lists rules may use in `when`, e.g. `vendorId in lists.approvedVendors`.');

export const factSchema = z.strictObject({
  description: z.string().min(1),
  type: z.enum(['boolean', 'number', 'string']),
  of: z.custom<FactDefinition['of']>((v) => typeof v === 'function', 'a function (input, { lists, toolId }) => value'),
});

export const factsSchema = z
  .record(identifier, factSchema)
  .default({})
  .describe('Named facts about a tool call, computed outside the model, usable in `when` as facts.<name>.');
