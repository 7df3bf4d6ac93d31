/**
 * zod's functional entry (`zod/mini`) with English messages, for every schema
 * a Lambda carries: the same core and the same parse results as classic zod,
 * but esbuild keeps only the checks a schema uses (a contract costs ~15 KiB
 * of a bundle where classic zod's methods pull in ~100 KiB). Classic zod
 * stays where size does not matter (definition validation, CLI, docs).
 *
 * zod/mini loads no locale of its own: without this, every issue reads
 * "Invalid input". Classic zod sets the same English locale when it loads.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

// Re-exported name by name (import it as `* as z`): a namespace object passed on as a value would keep all of zod/mini.
export * from 'zod/mini';
