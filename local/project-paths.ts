/**
 * Folders a definition names (knowledge seeds, recordings) are relative to
 * the repository root, so the same definition works whatever the working
 * directory of the process that loads it.
 */
import path from 'node:path';

export const PROJECT_ROOT = path.join(__dirname, '..');

/** A path from the definition, made absolute against the repository root (absolute paths stay). */
export function projectPath(relativeOrAbsolute: string): string {
  return path.resolve(PROJECT_ROOT, relativeOrAbsolute);
}
