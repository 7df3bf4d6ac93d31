/**
 * Golden files of the compiled example. When a compiler change is intended,
 * regenerate with `UPDATE_GOLDEN=1 npx jest test/unit/compiler/golden` and
 * review the diff of test/golden/asl/ before committing it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileAll } from '../../../shared/compiler';
import { compiled, os } from '../../support/compiled-example';

const dir = path.join(__dirname, '../../golden/asl');

describe('compiled ASL of the example', () => {
  test('is deterministic: a second compile gives byte-identical text', () => {
    const again = compileAll(os);
    expect([...again.keys()]).toEqual([...compiled.keys()]);
    for (const [id, text] of compiled) expect(again.get(id)).toBe(text);
  });

  test.each([...compiled.keys()])('%s matches its golden file', (id) => {
    const file = path.join(dir, `${id}.asl.json`);
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, compiled.get(id)!);
    }
    expect(existsSync(file)).toBe(true);
    const golden = readFileSync(file, 'utf8');
    expect(JSON.parse(compiled.get(id)!)).toStrictEqual(JSON.parse(golden));
    expect(compiled.get(id)).toBe(golden);
  });

  test('one document per workflow, with readable state names and no inline data', () => {
    expect([...compiled.keys()].sort()).toEqual(os.workflows.map((w) => w.id).sort());
    const support = JSON.parse(compiled.get('support-desk')!) as { States: Record<string, { Branches?: { States: Record<string, unknown> }[] }> };
    const inner = Object.keys(support.States.Run.Branches![0].States);
    expect(inner).toEqual(expect.arrayContaining(['Triage: start', 'Triage: think', 'Triage: done?', 'Triage: act', 'Needs a person?']));
  });
});
