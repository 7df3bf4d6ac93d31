/**
 * Validates a state machine definition before it is stored, with diagnostics
 * shaped like ValidateStateMachineDefinition's. Features the local engine does
 * not run (Distributed Map, non-Lambda resources) are rejected here with a
 * message naming them, never silently mis-run.
 */
import { CHOICE_OPERATORS } from './choice-rules';
import { looksLikeIntrinsic, parseIntrinsic } from './intrinsics';
import { checkFieldsOfType, checkQueryLanguage } from './jsonata/definition-rules';
import { parseTaskResource } from './task-resource';
import { checkVariableScopes } from './variable-scopes';
import { isTimestamp } from './timestamps';
import type { ChoiceRule, JsonValue, MachineDefinition, StateDefinition } from './types';

export interface Diagnostic {
  severity: 'ERROR';
  code: string;
  message: string;
  location: string;
}

const STATE_TYPES = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);
const QUERY_LANGUAGES = new Set(['JSONPath', 'JSONata']);
const UNSUPPORTED_FIELDS: Record<string, string> = {
  ItemReader: 'Distributed Map (ItemReader) is not supported by the local engine',
  ResultWriter: 'Distributed Map (ResultWriter) is not supported by the local engine',
  ItemBatcher: 'Distributed Map (ItemBatcher) is not supported by the local engine',
  Credentials: 'cross-account Task Credentials are not supported by the local engine',
};

class Checker {
  readonly diagnostics: Diagnostic[] = [];

  error(code: string, message: string, location: string): void {
    this.diagnostics.push({ severity: 'ERROR', code, message, location });
  }

  machine(def: unknown, location: string, inherited: string = 'JSONPath'): void {
    if (def === null || typeof def !== 'object' || Array.isArray(def)) {
      this.error('SCHEMA_VALIDATION_FAILED', 'The definition must be a JSON object', location || '/');
      return;
    }
    const m = def as MachineDefinition;
    if (m.QueryLanguage !== undefined && !QUERY_LANGUAGES.has(m.QueryLanguage)) {
      this.error(
        'SCHEMA_VALIDATION_FAILED',
        `The field "QueryLanguage" must be JSONPath or JSONata, got ${JSON.stringify(m.QueryLanguage)}`,
        `${location}/QueryLanguage`,
      );
    }
    const language = m.QueryLanguage === 'JSONata' || m.QueryLanguage === 'JSONPath' ? m.QueryLanguage : inherited;
    if (typeof m.StartAt !== 'string') this.error('SCHEMA_VALIDATION_FAILED', 'The field "StartAt" is required and must be a string', `${location}/StartAt`);
    if (m.States === null || typeof m.States !== 'object' || Array.isArray(m.States) || Object.keys(m.States).length === 0) {
      this.error('SCHEMA_VALIDATION_FAILED', 'The field "States" is required and must be a non-empty object', `${location}/States`);
      return;
    }
    if (typeof m.StartAt === 'string' && !(m.StartAt in m.States)) {
      this.error('MISSING_TRANSITION_TARGET', `StartAt "${m.StartAt}" does not name a state`, `${location}/StartAt`);
    }
    if (m.TimeoutSeconds !== undefined && !isPositiveInteger(m.TimeoutSeconds)) {
      this.error('SCHEMA_VALIDATION_FAILED', 'TimeoutSeconds must be a positive integer', `${location}/TimeoutSeconds`);
    }
    for (const [name, state] of Object.entries(m.States)) this.state(name, state, m.States, `${location}/States/${name}`, language);
  }

  target(next: unknown, states: Record<string, unknown>, location: string): void {
    if (typeof next !== 'string' || !(next in states)) this.error('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${String(next)}`, location);
  }

  path(value: unknown, location: string, allowNull: boolean): void {
    if (value === undefined || (allowNull && value === null)) return;
    if (typeof value !== 'string' || !value.startsWith('$')) this.error('INVALID_JSON_PATH', `Invalid JSONPath: ${JSON.stringify(value)}`, location);
  }

  /** ResultPath writes into the state input: a reference path from `$`, never a variable or the context object (AWS workflow-variables page). */
  resultPath(value: unknown, location: string): void {
    if (typeof value === 'string' && value.startsWith('$') && !/^\$(?:$|\.|\[)/.test(value)) {
      this.error(
        'INVALID_JSON_PATH',
        `ResultPath must be a reference path into the state input; variables and the context object cannot be used there: ${value}`,
        location,
      );
    }
  }

  template(value: JsonValue | undefined, location: string): void {
    if (value === undefined || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.template(v, `${location}/${i}`));
      return;
    }
    for (const [key, v] of Object.entries(value)) {
      if (!key.endsWith('.$')) {
        this.template(v, `${location}/${key}`);
        continue;
      }
      if (typeof v !== 'string') this.error('SCHEMA_VALIDATION_FAILED', `The value of "${key}" must be a path or an intrinsic function`, `${location}/${key}`);
      else if (looksLikeIntrinsic(v)) {
        try {
          parseIntrinsic(v);
        } catch (error) {
          this.error('INVALID_INTRINSIC', (error as Error).message, `${location}/${key}`);
        }
      } else if (!v.startsWith('$'))
        this.error('INVALID_JSON_PATH', `The value of "${key}" is neither a path nor an intrinsic function: ${v}`, `${location}/${key}`);
    }
  }

  state(name: string, raw: unknown, states: Record<string, unknown>, loc: string, machineLanguage = 'JSONPath'): void {
    if (raw === null || typeof raw !== 'object') {
      this.error('SCHEMA_VALIDATION_FAILED', 'A state must be an object', loc);
      return;
    }
    const s = raw as StateDefinition;
    if (!STATE_TYPES.has(s.Type)) {
      this.error('SCHEMA_VALIDATION_FAILED', `Unknown state Type ${JSON.stringify(s.Type)}`, `${loc}/Type`);
      return;
    }
    if (name.length > 80) this.error('SCHEMA_VALIDATION_FAILED', 'State names may have at most 80 characters', loc);
    if (s.QueryLanguage !== undefined && !QUERY_LANGUAGES.has(s.QueryLanguage)) {
      this.error(
        'SCHEMA_VALIDATION_FAILED',
        `The field "QueryLanguage" must be JSONPath or JSONata, got ${JSON.stringify(s.QueryLanguage)}`,
        `${loc}/QueryLanguage`,
      );
    }
    // AWS: a state may opt into JSONata under a JSONPath machine, never the reverse.
    if (machineLanguage === 'JSONata' && s.QueryLanguage === 'JSONPath') {
      this.error('SCHEMA_VALIDATION_FAILED', "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", loc);
    }
    const language = s.QueryLanguage === 'JSONata' ? 'JSONata' : s.QueryLanguage === 'JSONPath' ? 'JSONPath' : (machineLanguage as 'JSONPath' | 'JSONata');
    const jsonata = language === 'JSONata';
    const report = (code: string, message: string, location: string) => this.error(code, message, location);
    checkFieldsOfType(s, loc, report);
    checkQueryLanguage(s, language, loc, report);
    for (const [field, why] of Object.entries(UNSUPPORTED_FIELDS)) if (field in s) this.error('UNSUPPORTED_FEATURE', why, `${loc}/${field}`);
    const terminal = s.Type === 'Succeed' || s.Type === 'Fail' || s.Type === 'Choice';
    if (!terminal) {
      if (s.End === true && s.Next !== undefined) this.error('SCHEMA_VALIDATION_FAILED', 'A state may not have both Next and End', loc);
      else if (s.End !== true) this.target(s.Next, states, `${loc}/Next`);
    }
    for (const field of ['InputPath', 'OutputPath', 'ResultPath'] as const) this.path(s[field], `${loc}/${field}`, true);
    this.resultPath(s.ResultPath, `${loc}/ResultPath`);
    this.template(s.Parameters, `${loc}/Parameters`);
    this.template(s.ResultSelector, `${loc}/ResultSelector`);
    if (!jsonata && s.Assign !== undefined) this.template(s.Assign, `${loc}/Assign`);
    for (const [i, r] of (s.Retry ?? []).entries()) {
      if (!Array.isArray(r.ErrorEquals) || r.ErrorEquals.length === 0)
        this.error('SCHEMA_VALIDATION_FAILED', 'ErrorEquals must be a non-empty array', `${loc}/Retry/${i}`);
      else if (r.ErrorEquals.includes('States.ALL') && (r.ErrorEquals.length > 1 || i !== (s.Retry?.length ?? 0) - 1)) {
        this.error('SCHEMA_VALIDATION_FAILED', 'States.ALL must appear alone in the last retrier', `${loc}/Retry/${i}`);
      }
      if (r.BackoffRate !== undefined && r.BackoffRate < 1)
        this.error('SCHEMA_VALIDATION_FAILED', 'BackoffRate must be at least 1.0', `${loc}/Retry/${i}/BackoffRate`);
    }
    for (const [i, c] of (s.Catch ?? []).entries()) {
      if (!Array.isArray(c.ErrorEquals) || c.ErrorEquals.length === 0)
        this.error('SCHEMA_VALIDATION_FAILED', 'ErrorEquals must be a non-empty array', `${loc}/Catch/${i}`);
      this.target(c.Next, states, `${loc}/Catch/${i}/Next`);
      if (!jsonata) this.path(c.ResultPath, `${loc}/Catch/${i}/ResultPath`, true);
      if (!jsonata) this.resultPath(c.ResultPath, `${loc}/Catch/${i}/ResultPath`);
    }
    switch (s.Type) {
      case 'Task': {
        if (typeof s.Resource !== 'string') this.error('SCHEMA_VALIDATION_FAILED', 'A Task needs a Resource', `${loc}/Resource`);
        else if (!parseTaskResource(s.Resource)) {
          this.error(
            'UNSUPPORTED_FEATURE',
            `Resource ${s.Resource} is not supported by the local engine (use a Lambda function ARN or arn:aws:states:::lambda:invoke[.waitForTaskToken])`,
            `${loc}/Resource`,
          );
        }
        if (s.TimeoutSeconds !== undefined && s.TimeoutSecondsPath !== undefined)
          this.error('SCHEMA_VALIDATION_FAILED', 'TimeoutSeconds and TimeoutSecondsPath are exclusive', loc);
        if (s.HeartbeatSeconds !== undefined && s.HeartbeatSecondsPath !== undefined)
          this.error('SCHEMA_VALIDATION_FAILED', 'HeartbeatSeconds and HeartbeatSecondsPath are exclusive', loc);
        if (jsonata) break;
        if (s.TimeoutSeconds !== undefined && !isPositiveInteger(s.TimeoutSeconds))
          this.error('SCHEMA_VALIDATION_FAILED', 'TimeoutSeconds must be a positive integer', `${loc}/TimeoutSeconds`);
        if (s.HeartbeatSeconds !== undefined && !isPositiveInteger(s.HeartbeatSeconds))
          this.error('SCHEMA_VALIDATION_FAILED', 'HeartbeatSeconds must be a positive integer', `${loc}/HeartbeatSeconds`);
        if (s.TimeoutSeconds !== undefined && s.HeartbeatSeconds !== undefined && s.HeartbeatSeconds >= s.TimeoutSeconds) {
          this.error('SCHEMA_VALIDATION_FAILED', 'HeartbeatSeconds must be smaller than TimeoutSeconds', `${loc}/HeartbeatSeconds`);
        }
        break;
      }
      case 'Choice': {
        if (!Array.isArray(s.Choices) || s.Choices.length === 0)
          this.error('SCHEMA_VALIDATION_FAILED', 'A Choice state needs a non-empty Choices array', `${loc}/Choices`);
        else
          s.Choices.forEach((rule, i) => {
            this.target(rule.Next, states, `${loc}/Choices/${i}/Next`);
            if (!jsonata) this.rule(rule, `${loc}/Choices/${i}`);
          });
        if (s.Default !== undefined) this.target(s.Default, states, `${loc}/Default`);
        break;
      }
      case 'Wait': {
        const given = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].filter((f) => f in s);
        if (given.length !== 1) this.error('SCHEMA_VALIDATION_FAILED', 'A Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath', loc);
        if (jsonata) break;
        if (s.Seconds !== undefined && !(Number.isInteger(s.Seconds) && s.Seconds >= 0))
          this.error('SCHEMA_VALIDATION_FAILED', 'Seconds must be a non-negative integer', `${loc}/Seconds`);
        if (s.Timestamp !== undefined && !isTimestamp(s.Timestamp))
          this.error('SCHEMA_VALIDATION_FAILED', 'Timestamp must be an RFC 3339 timestamp', `${loc}/Timestamp`);
        break;
      }
      case 'Fail': {
        if (s.Error !== undefined && s.ErrorPath !== undefined) this.error('SCHEMA_VALIDATION_FAILED', 'Error and ErrorPath are exclusive', loc);
        if (s.Cause !== undefined && s.CausePath !== undefined) this.error('SCHEMA_VALIDATION_FAILED', 'Cause and CausePath are exclusive', loc);
        break;
      }
      case 'Parallel': {
        if (!Array.isArray(s.Branches) || s.Branches.length === 0)
          this.error('SCHEMA_VALIDATION_FAILED', 'A Parallel state needs a non-empty Branches array', `${loc}/Branches`);
        else s.Branches.forEach((b, i) => this.machine(b, `${loc}/Branches/${i}`, machineLanguage));
        break;
      }
      case 'Map': {
        const processor = s.ItemProcessor ?? s.Iterator;
        const mode = (s.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined)?.ProcessorConfig?.Mode;
        if (mode === 'DISTRIBUTED')
          this.error('UNSUPPORTED_FEATURE', 'Distributed Map is not supported by the local engine (use Mode INLINE)', `${loc}/ItemProcessor/ProcessorConfig`);
        if (!processor) this.error('SCHEMA_VALIDATION_FAILED', 'A Map state needs ItemProcessor (or Iterator)', loc);
        // AWS: the states inside take the machine's language; the processor itself cannot name one.
        else if ('QueryLanguage' in processor)
          this.error('SCHEMA_VALIDATION_FAILED', "Field 'QueryLanguage' is not supported", `${loc}/${s.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`);
        else this.machine(processor, `${loc}/${s.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`, machineLanguage);
        if (jsonata) break;
        this.path(s.ItemsPath, `${loc}/ItemsPath`, false);
        this.template(s.ItemSelector, `${loc}/ItemSelector`);
        break;
      }
      default:
        break;
    }
  }

  rule(rule: ChoiceRule, loc: string): void {
    if (rule.And || rule.Or) {
      const list = rule.And ?? rule.Or;
      if (!Array.isArray(list) || list.length === 0) this.error('SCHEMA_VALIDATION_FAILED', 'And/Or need a non-empty array', loc);
      else list.forEach((r, i) => this.rule(r, `${loc}/${rule.And ? 'And' : 'Or'}/${i}`));
      return;
    }
    if (rule.Not) {
      this.rule(rule.Not, `${loc}/Not`);
      return;
    }
    this.path(rule.Variable, `${loc}/Variable`, false);
    if (typeof rule.Variable !== 'string') this.error('SCHEMA_VALIDATION_FAILED', 'A choice rule needs a Variable', loc);
    const ops = Object.keys(rule).filter((k) => k !== 'Variable' && k !== 'Next' && k !== 'Comment' && k !== 'Assign');
    if (ops.length !== 1 || !CHOICE_OPERATORS.has(ops[0])) {
      this.error('SCHEMA_VALIDATION_FAILED', `A choice rule needs exactly one comparison operator, got ${JSON.stringify(ops)}`, loc);
    } else if (ops[0].endsWith('Path')) this.path(rule[ops[0]], `${loc}/${ops[0]}`, false);
  }
}

function isPositiveInteger(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** Parses and checks a definition; returns it with no diagnostics when valid. */
export function validateDefinition(text: string): { definition?: MachineDefinition; diagnostics: Diagnostic[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { diagnostics: [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: (error as Error).message, location: '/' }] };
  }
  const checker = new Checker();
  checker.machine(parsed, '');
  if (!checker.diagnostics.length) checkVariableScopes(parsed as MachineDefinition, (code, message, location) => checker.error(code, message, location));
  return checker.diagnostics.length ? { diagnostics: checker.diagnostics } : { definition: parsed as MachineDefinition, diagnostics: [] };
}
