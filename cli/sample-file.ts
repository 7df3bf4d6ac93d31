/**
 * Where `aios send-event` and `aios webhook` find the file they are given: as
 * written, else, for a relative name, under the project's events/samples (so
 * `stripe.charge.dispute.created.json` works from anywhere in the project).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AiosError } from '../shared/errors';

const SAMPLES_DIR = path.join(__dirname, '..', 'events', 'samples');

export function sampleFile(file: string): string {
  if (existsSync(file)) return file;
  // An absolute path names one file; the samples folder is no second place to look for it.
  if (path.isAbsolute(file)) throw new AiosError('Cli.FileNotFound', `no file "${file}"`, { file });
  const sample = path.join(SAMPLES_DIR, file);
  if (existsSync(sample)) return sample;
  throw new AiosError('Cli.FileNotFound', `no file "${file}" (nor events/samples/${file})`, { file });
}
