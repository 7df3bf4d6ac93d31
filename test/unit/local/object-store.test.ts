import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalObjectStore, ObjectExistsError } from '../../../local/s3/object-store';

const fresh = () => {
  const root = mkdtempSync(path.join(tmpdir(), 'aios-object-store-'));
  return { root, store: new LocalObjectStore(root, () => new Date('2026-12-07T00:00:00Z')) };
};

test('a new object is whole once put and leaves no temporary file; putting it again replaces it whole', () => {
  const { root, store } = fresh();
  store.put('bucket-a', 'k/1', Buffer.from('one'), { contentType: 'text/plain' });
  expect(store.get('bucket-a', 'k/1')!.body.toString()).toBe('one');
  store.put('bucket-a', 'k/1', Buffer.from('second'));
  const got = store.get('bucket-a', 'k/1')!;
  expect(got.body.toString()).toBe('second');
  expect(got.meta).toMatchObject({ key: 'k/1', size: 6, contentType: 'application/octet-stream' });
  expect(readdirSync(path.join(root, 'bucket-a')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('a body left by a put that died before its metadata is no object, and the next put of that key writes over it', () => {
  const { root, store } = fresh();
  store.put('bucket-a', 'other', Buffer.from('x'));
  // What a crash between the body and the metadata leaves for the key "k" (files are named by the key's digest):
  // a body cut short, no metadata.
  const id = createHash('sha256').update('k').digest('hex');
  writeFileSync(path.join(root, 'bucket-a', `${id}.body`), 'partial body, longer than the real one');
  expect(store.head('bucket-a', 'k')).toBeUndefined();
  expect(store.list('bucket-a', '').map((o) => o.key)).toEqual(['other']);
  store.put('bucket-a', 'k', Buffer.from('whole'), { ifNoneMatch: true });
  expect(store.get('bucket-a', 'k')!.body.toString()).toBe('whole');
  expect(() => store.put('bucket-a', 'k', Buffer.from('again'), { ifNoneMatch: true })).toThrow(ObjectExistsError);
  expect(existsSync(path.join(root, 'bucket-a', `${id}.body.tmp`))).toBe(false);
});
