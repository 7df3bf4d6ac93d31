/**
 * Issue 18, defect 5: wildcard values match in time linear in the event's
 * text (no backtracking), and a pattern past the wildcard complexity limit is
 * refused when the rule is put, as EventBridge refuses it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { compileEventPattern, validateEventPattern } from '../../../shared/event-pattern';

const root = path.join(__dirname, '../../..');

/** A plain reference: does `pattern` (with `*` and the escapes \* and \\) match all of `text`? */
function reference(pattern: string, text: string): boolean {
  const tokens: Array<string | null> = [];
  for (let i = 0; i < pattern.length; i++) tokens.push(pattern[i] === '*' ? null : pattern[i] === '\\' ? pattern[++i] : pattern[i]);
  const memo = new Map<string, boolean>();
  const at = (p: number, t: number): boolean => {
    const key = `${p},${t}`;
    if (memo.has(key)) return memo.get(key)!;
    let result: boolean;
    if (p === tokens.length) result = t === text.length;
    else if (tokens[p] === null) result = at(p + 1, t) || (t < text.length && at(p, t + 1));
    else result = t < text.length && text[t] === tokens[p] && at(p + 1, t + 1);
    memo.set(key, result);
    return result;
  };
  return at(0, 0);
}

const matches = (wildcard: string, value: string) => compileEventPattern({ detail: { v: [{ wildcard }] } })({ detail: { v: value } });

describe('wildcard matching', () => {
  const patterns = ['*', 'a*', '*a', '*a*', 'a*b', 'a*b*c', '*ab*ab*', 'ab*ba', '*aab', 'x\\*y*', 'a\\\\*b', '*re*fu*nd*x', 'aa*aa', '*.png', 'dir/*/*.jar'];
  const texts = [
    '',
    'a',
    'b',
    'ab',
    'ba',
    'aab',
    'abab',
    'abba',
    'aaaa',
    'abcabc',
    'x*yz',
    'a\\zb',
    'refund x',
    'rerefufundndx',
    'aaa',
    'img.png',
    'dir/lib/a.jar',
    'dir/a.jar',
    'xy',
  ];
  for (const p of patterns) {
    test(`${p} agrees with the reference on every sample`, () => {
      for (const t of texts) expect([t, matches(p, t)]).toEqual([t, reference(p, t)]);
    });
  }

  test('anything-but wildcard uses the same matcher', () => {
    const match = compileEventPattern({ detail: { v: [{ 'anything-but': { wildcard: ['*/lib/*', '*.tmp'] } }] } });
    expect(match({ detail: { v: 'usr/lib/x' } })).toBe(false);
    expect(match({ detail: { v: 'a.tmp' } })).toBe(false);
    expect(match({ detail: { v: 'usr/bin/x' } })).toBe(true);
  });

  test('an adversarial value does not backtrack: 20 KB against *re*fu*nd*x finishes (in a child, so a hang cannot stall the suite)', () => {
    const script = `
      const { compileEventPattern } = require(${JSON.stringify(path.join(root, 'shared/event-pattern'))});
      const match = compileEventPattern({ detail: { v: [{ wildcard: '*re*fu*nd*x' }] } });
      const value = 'refund'.repeat(3500);
      process.stdout.write(String(match({ detail: { v: value } })) + ' ' + String(match({ detail: { v: value + 'x' } })));
    `;
    const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(run.error).toBeUndefined();
    expect(run.stdout).toBe('false true');
  }, 60_000);
});

describe('wildcard complexity limit', () => {
  test('more than 10 wildcard characters on one field is refused, as EventBridge refuses a rule that is too complex', () => {
    const problems = validateEventPattern({ detail: { v: [{ wildcard: '*a'.repeat(200) }] } });
    expect(problems).toEqual([expect.stringMatching(/^\$\.detail\.v: rule is too complex.*200 wildcard characters.*at most 10/)]);
    const spread = validateEventPattern({
      detail: { v: [{ wildcard: '*a*b*c*' }, { wildcard: '*d*e*f*' }, { 'anything-but': { wildcard: ['*g*', '*h*'] } }] },
    });
    expect(spread).toEqual([expect.stringContaining('12 wildcard characters')]);
  });

  test('at the limit it is accepted', () => {
    expect(validateEventPattern({ detail: { v: [{ wildcard: '*a*b*c*d*e*' }, { wildcard: '*f*g*h*i' }] } })).toEqual([]);
    expect(validateEventPattern({ detail: { v: [{ wildcard: '*re*fu*nd*x' }], w: [{ wildcard: '*re*fu*nd*x' }] } })).toEqual([]);
  });
});
