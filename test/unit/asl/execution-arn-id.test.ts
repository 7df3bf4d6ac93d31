/** The id a generated execution name carries is read from the ARN exactly as its shape says, and from nothing else. */
import { executionArn, idInExecutionArn } from '../../../local/stepfunctions/arns';
import { generatedName, newRequestId } from '../../../local/stepfunctions/task-token';

const scope = { region: 'us-east-1', accountId: '123456789012' };
const SHAPE = /^:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{12})$/;
/** What the shape alone says: the id, or null. */
const byShape = (arn: string) => {
  const m = arn.length > 37 ? SHAPE.exec(arn.slice(-37)) : null;
  return m ? parseInt(m[1], 16) : null;
};

test('a generated name gives back its id, up to the largest twelve hex digits hold', () => {
  for (const id of [1, 42, 0xabcdef, 2 ** 40 + 7, 16 ** 12 - 1]) {
    const arn = executionArn(scope, 'm', generatedName(id));
    expect(idInExecutionArn(arn)).toBe(id);
  }
});

test('names that break the shape anywhere carry no id, as the shape says', () => {
  const good = executionArn(scope, 'm', generatedName(5));
  const variants = [good, 'short', ':', good.slice(1), `${good}0`, good.replace(/:([^:]*)$/, '-$1'), good.toUpperCase(), executionArn(scope, 'm', 'run-1')];
  // Every single character of the name replaced by something outside the shape, or by another hex digit.
  for (let i = good.length - 37; i < good.length; i++) for (const c of ['g', 'A', '-', ':', '0', 'f']) variants.push(good.slice(0, i) + c + good.slice(i + 1));
  for (const arn of variants) expect([arn, idInExecutionArn(arn)]).toEqual([arn, byShape(arn)]);
});

test('a name the engine generates is a version 4 UUID in shape, carries its id, and is drawn afresh each time', () => {
  const seen = new Set<string>();
  for (const id of [1, 42, 0xabcdef, 2 ** 40 + 7, 16 ** 12 - 1]) {
    const name = generatedName(id);
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(name.slice(24)).toBe(id.toString(16).padStart(12, '0'));
    expect(idInExecutionArn(executionArn(scope, 'm', name))).toBe(id);
    seen.add(name.slice(0, 24));
  }
  expect(seen.size).toBe(5);
});

test('request ids share one random head per process and count up in their last twelve digits', () => {
  const [a, b] = [newRequestId(), newRequestId()];
  for (const id of [a, b]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(b.slice(0, 24)).toBe(a.slice(0, 24));
  expect(parseInt(b.slice(24), 16)).toBe(parseInt(a.slice(24), 16) + 1);
});
