/** Child process for the crash test: the local runtime on a fixed port and data directory. */
import { startLocalRuntime } from '../../local/runtime';

startLocalRuntime({ port: Number(process.env.AIOS_PORT), dataDir: process.env.AIOS_DATA_DIR, projectFunctions: false }).then(
  (rt) => process.stdout.write(`READY ${rt.url}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
