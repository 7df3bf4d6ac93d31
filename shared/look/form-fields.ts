/**
 * A form our pages sent: each field once. A field given twice
 * (`decision=approve&decision=reject`) is no form of ours, and reading either
 * value would act on what the person may not have chosen, so such a body
 * reads as no form at all (undefined).
 */
export function formFieldsOnce(body: string): Record<string, string> | undefined {
  const fields = new URLSearchParams(body);
  const names = [...fields.keys()];
  return new Set(names).size === names.length ? Object.fromEntries(fields) : undefined;
}
