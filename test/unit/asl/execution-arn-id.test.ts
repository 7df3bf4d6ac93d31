/** The id a generated execution name carries is read from the ARN exactly as its shape says, and from nothing else. */
import { executionArn, executionArnPrefix, idInExecutionArn } from '../../../local/stepfunctions/arns';
import {
  generatedExecutionArn,
  generatedName,
  isRequestIdOfToken,
  isWellFormedToken,
  newRequestId,
  newTaskToken,
  requestIdOfToken,
} from '../../../local/stepfunctions/task-token';

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

test('a generated execution ARN is its machine prefix and a generated name, spelled out in one string', () => {
  const seen = new Set<string>();
  for (const machine of ['m', 'a-much-longer_machine-name-than-the-one-before-it', 'm'])
    for (const id of [1, 42, 0xabcdef, 16 ** 12 - 1]) {
      const prefix = executionArnPrefix(scope, machine);
      expect(prefix).toBe(`arn:aws:states:us-east-1:123456789012:execution:${machine}:`);
      const arn = generatedExecutionArn(prefix, id);
      expect(arn.slice(0, prefix.length)).toBe(prefix);
      const name = arn.slice(prefix.length);
      expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(executionArn(scope, machine, name)).toBe(arn);
      expect(idInExecutionArn(arn)).toBe(id);
      seen.add(name.slice(0, 24));
    }
  expect(seen.size).toBe(12);
  // A prefix beyond Latin-1 (no machine name the API accepts) is spelled the plain way.
  const odd = 'arn:aws:states:us-east-1:123456789012:execution:m\u0101:';
  expect(idInExecutionArn(generatedExecutionArn(odd, 7))).toBe(7);
  expect(generatedExecutionArn(odd, 7).startsWith(odd)).toBe(true);
});

test('task tokens are AAAA and 48 random bytes in URL-safe base64, each drawn afresh', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 600; i++) {
    const token = newTaskToken();
    expect(isWellFormedToken(token)).toBe(true);
    const bytes = Buffer.from(token.slice(4), 'base64url');
    expect(bytes.length).toBe(48);
    expect(`AAAA${bytes.toString('base64url')}`).toBe(token);
    seen.add(token);
  }
  expect(seen.size).toBe(600);
});

test("a token's request id is a version 4 UUID made from the token alone, the same each time and another for another token", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const token = newTaskToken();
    const id = requestIdOfToken(token)!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(requestIdOfToken(token)).toBe(id);
    expect(isRequestIdOfToken(id, token)).toBe(true);
    seen.add(id);
  }
  expect(seen.size).toBe(50);
});

test("only a token's own request id is recognised as made from it, and only well-formed tokens make one", () => {
  const token = newTaskToken();
  const id = requestIdOfToken(token)!;
  // Every character of the id replaced by another hex digit or a dash.
  for (let i = 0; i < id.length; i++)
    for (const c of ['0', 'f', '-']) {
      const other = id.slice(0, i) + c + id.slice(i + 1);
      if (other !== id) expect(isRequestIdOfToken(other, token)).toBe(false);
    }
  expect(isRequestIdOfToken(id, newTaskToken())).toBe(false);
  expect(isRequestIdOfToken(id, undefined)).toBe(false);
  expect(isRequestIdOfToken(newRequestId(), token)).toBe(false);
  expect(isRequestIdOfToken(`${id}0`, token)).toBe(false);
  for (const malformed of ['AAAA-token', token.slice(1), `${token}A`, token.replace(/.$/, '=')]) {
    expect(requestIdOfToken(malformed)).toBeUndefined();
    expect(isRequestIdOfToken(id, malformed)).toBe(false);
  }
});
