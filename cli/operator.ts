/**
 * Who is typing a command, as this machine knows them: `user@host`. The CLI
 * names them in the records of what they did by hand (an approval typed with
 * `--as`, a run started with `aios start`). It is their machine's word, not
 * a verified identity: it says where the command came from.
 */
import { hostname, userInfo } from 'node:os';

export function cliOperator(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the host still says where it was typed.
  }
  return `${user}@${hostname()}`;
}
