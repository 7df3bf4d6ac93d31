/** The clock of an environment: AIOS_CLOCK on one machine (a start instant moving forward), else the real one. */
import { clockFromEnv, type Clock } from '../clock/local-clock';
import type { AiosEnvironment } from './environment';

export function clock(env: AiosEnvironment): Clock {
  return clockFromEnv(env.vars);
}
