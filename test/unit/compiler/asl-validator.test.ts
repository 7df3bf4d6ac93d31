import { compiled, withSampleArns } from '../../support/compiled-example';

// asl-validator ships no types; it mutates its argument, so it gets a copy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: unknown[] };

describe('compiled ASL passes asl-validator', () => {
  test.each([...compiled.keys()])('%s', (id) => {
    const definition = withSampleArns(compiled.get(id)!);
    const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  test('the validator does reject a broken document (negative control)', () => {
    const definition = withSampleArns(compiled.get('support-desk')!);
    (definition.States as Record<string, Record<string, unknown>>)['Run: prepare'].Next = 'No such state';
    expect(aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true }).isValid).toBe(false);
  });
});
