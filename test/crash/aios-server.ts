/** Child process of the fault harness: the whole AI OS (`startAiosRuntime`) on a fixed port and data folder. */
import { startAiosRuntime } from '../../local/aios-runtime';

startAiosRuntime({ port: Number(process.env.AIOS_PORT), dataDir: process.env.AIOS_DATA_DIR, schedules: false }).then(
  (rt) => process.stdout.write(`READY ${rt.url}\n`),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  },
);
