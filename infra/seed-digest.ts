/**
 * A digest of the seed knowledge folder: the knowledge custom resource's
 * property, so CloudFormation re-runs the sync exactly when a seed document
 * is added, changed or removed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function seedDigest(dir: string): string {
  const hash = createHash('sha256');
  const files = readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of files)
    hash
      .update(`${path.relative(dir, file)}\n`)
      .update(readFileSync(file))
      .update('\n');
  return hash.digest('hex');
}
