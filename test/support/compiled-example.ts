/** The example definition, validated and compiled, for compiler tests. */
import exampleOs from '../../examples/kestrel-coffee';
import { compileAll, functionPlaceholders, lambdaArn, substitutePlaceholders } from '../../shared/compiler';
import { loadValidOs } from '../../shared/definition';

export const os = loadValidOs(exampleOs);
export const compiled = compileAll(os);

/** Placeholders replaced by sample Lambda ARNs (asl-validator and interpreters need real-looking resources). */
export function withSampleArns(aslText: string): Record<string, unknown> {
  const values = Object.fromEntries(Object.entries(functionPlaceholders(os.tools.map((t) => t.id))).map(([k, name]) => [k, lambdaArn(name)]));
  return JSON.parse(substitutePlaceholders(aslText, values)) as Record<string, unknown>;
}
