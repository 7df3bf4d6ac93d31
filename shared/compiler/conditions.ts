/** DSL conditions → ASL Choice rules. */
import type { Condition } from '../definition/workflow';
import { jsonPath } from './asl';

export function choiceRule(condition: Condition): Record<string, unknown> {
  if ('and' in condition) return { And: condition.and.map(choiceRule) };
  if ('or' in condition) return { Or: condition.or.map(choiceRule) };
  if ('not' in condition) return { Not: choiceRule(condition.not) };
  const Variable = jsonPath(condition.path);
  switch (condition.op) {
    case 'present':
      return { Variable, IsPresent: true };
    case 'absent':
      return { Variable, IsPresent: false };
    case 'matches':
      return { Variable, StringMatches: condition.value };
    case 'eq':
      return equals(Variable, condition.value);
    case 'ne':
      return { Not: equals(Variable, condition.value) };
    default: {
      const numeric = typeof condition.value === 'number';
      const op = { lt: 'LessThan', le: 'LessThanEquals', gt: 'GreaterThan', ge: 'GreaterThanEquals' }[condition.op];
      return { Variable, [`${numeric ? 'Numeric' : 'String'}${op}`]: condition.value };
    }
  }
}

function equals(Variable: string, value: string | number | boolean | null): Record<string, unknown> {
  if (value === null) return { Variable, IsNull: true };
  if (typeof value === 'number') return { Variable, NumericEquals: value };
  if (typeof value === 'boolean') return { Variable, BooleanEquals: value };
  return { Variable, StringEquals: value };
}
