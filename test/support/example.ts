/**
 * The worked example the project's tests run against, by its own path: a
 * business replaces `os/` with its own definition and the suite is unchanged.
 */
import path from 'node:path';

export const EXAMPLE_DIR = path.join(__dirname, '..', '..', 'examples', 'kestrel-coffee');
export const EXAMPLE_OS_MODULE = path.join(EXAMPLE_DIR, 'index.ts');
