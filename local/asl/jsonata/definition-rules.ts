/**
 * What CreateStateMachine checks for JSONata states and for `Assign` in either
 * language: fields of the other language, fields a state type does not take,
 * expressions that do not parse or cannot run, and variable names. Messages and
 * locations follow the diagnostics AWS's ValidateStateMachineDefinition and
 * CreateStateMachine answer (recorded from AWS: "The QueryLanguage is set to
 * 'JSONata', but field 'X' is only supported for the 'JSONPath' QueryLanguage"
 * at the state, "Field 'X' is not supported" at the state,
 * "INVALID_JSONATA_EXPRESSION: <parser message>" and "UNSUPPORTED_JSONATA_EXPRESSION:
 * Reference to 'x' at the top level is not supported." at the field).
 */
import type { ChoiceRule, StateDefinition } from '../types';
import { variableNameProblem } from '../variables';
import { expressionBody, expressionProblem, expressionsIn, isJsonataExpression } from './expression';

export type Report = (code: string, message: string, location: string) => void;

/** Fields only JSONPath states have (JSONata uses Arguments, Output, Items and expressions instead). */
const JSONPATH_ONLY = [
  'InputPath',
  'OutputPath',
  'Parameters',
  'ResultSelector',
  'ResultPath',
  'ItemsPath',
  'Result',
  'SecondsPath',
  'TimestampPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'ErrorPath',
  'CausePath',
  'MaxConcurrencyPath',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentagePath',
];
const JSONATA_ONLY = ['Arguments', 'Output', 'Items'];

/** Fields whose strings may be `{% … %}` in a JSONata state. */
const EXPRESSION_FIELDS = [
  'Arguments',
  'Output',
  'Items',
  'ItemSelector',
  'Error',
  'Cause',
  'Seconds',
  'Timestamp',
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'MaxConcurrency',
  'ToleratedFailureCount',
  'ToleratedFailurePercentage',
];

/** The state types that take each field (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-states.html). */
const FIELD_STATE_TYPES: Record<string, readonly string[]> = {
  Assign: ['Pass', 'Task', 'Map', 'Parallel', 'Choice', 'Wait'],
  Output: ['Pass', 'Task', 'Map', 'Parallel', 'Choice', 'Wait', 'Succeed'],
  Arguments: ['Task', 'Parallel'],
  Items: ['Map'],
  Retry: ['Task', 'Map', 'Parallel'],
  Catch: ['Task', 'Map', 'Parallel'],
  TimeoutSeconds: ['Task'],
  TimeoutSecondsPath: ['Task'],
  HeartbeatSeconds: ['Task'],
  HeartbeatSecondsPath: ['Task'],
};

/** "Field 'X' is not supported", at the state, for a field its type does not take. */
export function checkFieldsOfType(state: StateDefinition, loc: string, report: Report): void {
  for (const [field, types] of Object.entries(FIELD_STATE_TYPES)) {
    if (field in state && !types.includes(state.Type)) report('SCHEMA_VALIDATION_FAILED', `Field '${field}' is not supported`, loc);
  }
}

function otherLanguage(field: string, language: 'JSONPath' | 'JSONata'): string {
  const other = language === 'JSONata' ? 'JSONPath' : 'JSONata';
  return `The QueryLanguage is set to '${language}', but field '${field}' is only supported for the '${other}' QueryLanguage`;
}

/** A string that opens or closes like an expression but is not exactly `{%…%}` (AWS: "Improperly opening or closing the expression will result in a validation error"). */
function* malformedIn(value: unknown, location: string): Generator<string> {
  if (typeof value === 'string') {
    const opens = value.trimStart().startsWith('{%');
    if (opens && value.trimEnd().endsWith('%}') && !isJsonataExpression(value)) yield location;
    else if (value.startsWith('{%') && !value.endsWith('%}')) yield location;
  } else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* malformedIn(value[i], `${location}/${i}`);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* malformedIn(v, `${location}/${k}`);
}

function checkExpressions(value: unknown, location: string, report: Report): void {
  for (const at of malformedIn(value, location)) {
    report('SCHEMA_VALIDATION_FAILED', "A JSONata expression must start with '{%' and end with '%}', with nothing before or after them", at);
  }
  for (const { text, location: at } of expressionsIn(value, location)) {
    const problem = expressionProblem(expressionBody(text));
    if (problem) report(problem.code, problem.message, at);
  }
}

function checkAssign(assign: unknown, jsonata: boolean, location: string, report: Report): void {
  if (assign === undefined) return;
  if (assign === null || typeof assign !== 'object' || Array.isArray(assign)) {
    report('SCHEMA_VALIDATION_FAILED', "The field 'Assign' must be a JSON object", location);
    return;
  }
  for (const key of Object.keys(assign)) {
    const name = !jsonata && key.endsWith('.$') ? key.slice(0, -2) : key;
    const problem = variableNameProblem(name);
    if (problem) report('SCHEMA_VALIDATION_FAILED', problem, `${location}/${key}`);
  }
  if (jsonata) checkExpressions(assign, location, report);
}

const READS_RESULT = /\$states\s*\.\s*result\b/;
const READS_ERROR_OUTPUT = /\$states\s*\.\s*errorOutput\b/;

/**
 * `$states.result` exists only in a Task, Map or Parallel state's own Output and Assign, `$states.errorOutput`
 * only in a Catch's Output and Assign; AWS refuses a definition that reads them elsewhere
 * (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html, "Reserved variable: $states").
 */
function checkStatesReferences(state: StateDefinition, loc: string, report: Report): void {
  const fields: [unknown, string, boolean, boolean][] = [];
  const hasResult = state.Type === 'Task' || state.Type === 'Map' || state.Type === 'Parallel';
  fields.push([state.Output, `${loc}/Output`, hasResult, false], [state.Assign, `${loc}/Assign`, hasResult, false]);
  for (const field of EXPRESSION_FIELDS) if (field !== 'Output') fields.push([state[field], `${loc}/${field}`, false, false]);
  for (const [i, c] of (state.Catch ?? []).entries())
    fields.push([c.Output, `${loc}/Catch/${i}/Output`, false, true], [c.Assign, `${loc}/Catch/${i}/Assign`, false, true]);
  for (const [i, r] of ((state.Choices ?? []) as ChoiceRule[]).entries()) fields.push([[r.Condition, r.Output, r.Assign], `${loc}/Choices/${i}`, false, false]);
  for (const [value, location, resultAllowed, errorAllowed] of fields) {
    for (const { text, location: at } of expressionsIn(value, location)) {
      if (!resultAllowed && READS_RESULT.test(text))
        report('SCHEMA_VALIDATION_FAILED', "The JSONata expression reads '$states.result', which is not available in this field", at);
      if (!errorAllowed && READS_ERROR_OUTPUT.test(text))
        report('SCHEMA_VALIDATION_FAILED', "The JSONata expression reads '$states.errorOutput', which is only available in a Catch's Output and Assign", at);
    }
  }
}

/** Checks one state against its query language. */
export function checkQueryLanguage(state: StateDefinition, language: 'JSONPath' | 'JSONata', loc: string, report: Report): void {
  const jsonata = language === 'JSONata';
  for (const field of jsonata ? JSONPATH_ONLY : JSONATA_ONLY) {
    if (field in state) report('SCHEMA_VALIDATION_FAILED', otherLanguage(field, language), loc);
  }
  checkAssign(state.Assign, jsonata, `${loc}/Assign`, report);
  for (const [i, catcher] of (state.Catch ?? []).entries()) {
    if (jsonata && 'ResultPath' in catcher) report('SCHEMA_VALIDATION_FAILED', otherLanguage('ResultPath', language), `${loc}/Catch/${i}`);
    if (!jsonata && 'Output' in catcher) report('SCHEMA_VALIDATION_FAILED', otherLanguage('Output', language), `${loc}/Catch/${i}`);
    checkAssign(catcher.Assign, jsonata, `${loc}/Catch/${i}/Assign`, report);
    if (jsonata) checkExpressions(catcher.Output, `${loc}/Catch/${i}/Output`, report);
  }
  if (state.Type === 'Choice') {
    for (const [i, rule] of (state.Choices ?? []).entries()) {
      const r = rule as ChoiceRule;
      checkAssign(r.Assign, jsonata, `${loc}/Choices/${i}/Assign`, report);
      if (!jsonata) continue;
      if (typeof r.Condition !== 'string' && typeof r.Condition !== 'boolean')
        report('SCHEMA_VALIDATION_FAILED', 'These fields are required: [Condition]', `${loc}/Choices/${i}`);
      for (const field of Object.keys(r)) {
        if (!['Condition', 'Next', 'Output', 'Assign', 'Comment'].includes(field))
          report('SCHEMA_VALIDATION_FAILED', otherLanguage(field, language), `${loc}/Choices/${i}`);
      }
      checkExpressions(r.Condition, `${loc}/Choices/${i}/Condition`, report);
      checkExpressions(r.Output, `${loc}/Choices/${i}/Output`, report);
    }
  }
  if (jsonata) for (const field of EXPRESSION_FIELDS) checkExpressions(state[field], `${loc}/${field}`, report);
  if (jsonata) checkStatesReferences(state, loc, report);
}
