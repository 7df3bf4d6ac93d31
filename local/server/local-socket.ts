/**
 * A second way into the runtime's port for its own in-process functions: the
 * same HTTP server, reached over a Unix domain socket instead of TCP on
 * loopback. Every AWS call a function makes is an HTTP round trip to this
 * process, two socket writes and two reads; over loopback TCP each write also
 * runs the kernel's TCP path (segments, acknowledgements, checksums), a
 * fifth of a bare round trip's CPU. The functions' SDK clients still send
 * the same HTTP requests, with the same Host, to the same listener, permission
 * check included (shared/aws/client-config.ts, `AIOS_LOCAL_SOCKET`); anything
 * else (the CLI, the console, webhooks, tests) keeps using the TCP port.
 *
 * Linux only, in the abstract namespace (no file to leave behind or collide
 * with); elsewhere, or when it cannot be opened, there is none and functions
 * use TCP as before.
 */
import { createServer, type Server } from 'node:net';

export interface LocalSocket {
  /** The address as functions are told it (`@name`: `@` stands for the abstract namespace's leading NUL). */
  address: string;
  server: Server;
}

/** Opens `@<name>`, or gives undefined where there can be none. */
export async function openLocalSocket(name: string): Promise<LocalSocket | undefined> {
  if (process.platform !== 'linux') return undefined;
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(`\0${name}`, () => resolve());
    });
  } catch {
    return undefined;
  }
  // The HTTP server it serves keeps the process alive, not this (a runtime that fails to start must still exit).
  server.unref();
  return { address: `@${name}`, server };
}
