/**
 * What tools act through in an environment: SES for `email.send`, the bus
 * for `events.emit`, the knowledge store for `knowledge.*`. Only the tool
 * functions take it. A deployed tool function's entry (generated at synth)
 * passes only the factories its role allows, so its bundle carries only
 * those clients; a port it was not given refuses with a clear error.
 */
import type { ToolPorts } from '../definition/tool';
import { AiosError } from '../errors';
import type { AiosEnvironment } from './environment';

/** The factory behind each port (each one its own module, so an entry imports only the ones it passes). */
export interface ToolPortFactories {
  sendEmail?: (env: AiosEnvironment) => ToolPorts['sendEmail'];
  publisher?: (env: AiosEnvironment) => ToolPorts['publisher'];
  knowledge?: (env: AiosEnvironment) => ToolPorts['knowledge'];
}

export class ToolPortNotGrantedError extends AiosError {
  constructor(port: string) {
    super('Tool.PortNotGranted', `this tool's function was not given the ${port} port (its role does not allow what the port does)`, { port });
  }
}

/** A stand-in whose every method refuses: the tool called a port its function was not given. */
function refusing<T extends object>(port: string): T {
  return new Proxy({} as T, { get: () => () => Promise.reject(new ToolPortNotGrantedError(port)) });
}

export function toolPortsFrom(env: AiosEnvironment, factories: ToolPortFactories): ToolPorts {
  return {
    sendEmail: factories.sendEmail ? factories.sendEmail(env) : () => Promise.reject(new ToolPortNotGrantedError('sendEmail')),
    publisher: factories.publisher ? factories.publisher(env) : refusing<ToolPorts['publisher']>('publisher'),
    knowledge: factories.knowledge ? factories.knowledge(env) : refusing<ToolPorts['knowledge']>('knowledge'),
  };
}
