import path from 'node:path';
import { sampleFile } from '../../../cli/sample-file';

const samples = path.join(__dirname, '..', '..', '..', 'events', 'samples');

test('a file named as written is that file; a bare sample name is found under events/samples', () => {
  const given = path.join(samples, 'github.issues.json');
  expect(sampleFile(given)).toBe(given);
  expect(sampleFile('github.issues.json')).toBe(given);
});

test('a missing relative name says both places it looked', () => {
  expect(() => sampleFile('nope.json')).toThrow(
    expect.objectContaining({ code: 'Cli.FileNotFound', message: 'no file "nope.json" (nor events/samples/nope.json)' }),
  );
});

test('a missing absolute path names only that path', () => {
  expect(() => sampleFile('/tmp/no-such-sample.json')).toThrow(
    expect.objectContaining({ code: 'Cli.FileNotFound', message: 'no file "/tmp/no-such-sample.json"' }),
  );
});
