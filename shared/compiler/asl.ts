/** The subset of Amazon States Language (JSONPath) the compiler writes. */
export type AslState = Record<string, unknown> & { Type: 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map' };

export interface AslScope {
  StartAt: string;
  States: Record<string, AslState>;
}

export interface AslDocument extends AslScope {
  Comment: string;
  QueryLanguage?: 'JSONPath';
  TimeoutSeconds?: number;
}

/** A JSONPath reference path for a state path (`steps.triage.summary` → `$.steps.triage.summary`). */
export function jsonPath(path: string): string {
  let out = '$';
  for (const part of path.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    const name = m ? m[1] : part;
    const indexes = m ? m[2] : '';
    out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `['${name}']`;
    out += indexes;
  }
  return out;
}
