/** An archive bucket in memory for the archive's unit tests: never replaces an object, and can fail or lose the answer of puts. */
import type { ArchiveStore } from '../../../shared/audit/archive';

export class MemoryArchive implements ArchiveStore {
  readonly objects = new Map<string, string>();
  readonly puts: string[] = [];
  /** Puts to fail before writing, by how many puts were asked before (0: the first). */
  failing = new Set<number>();
  /** Puts that write and then fail, as a timeout after S3 stored the object does. */
  writtenButFailing = new Set<number>();

  async putNew(key: string, body: string): Promise<boolean> {
    const n = this.puts.push(key) - 1;
    if (this.failing.has(n)) throw new Error('S3 unavailable');
    if (this.objects.has(key)) return false;
    this.objects.set(key, body);
    if (this.writtenButFailing.has(n)) throw new Error('socket timed out');
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async get(key: string): Promise<string> {
    const body = this.objects.get(key);
    if (body === undefined) throw new Error(`no object ${key}`);
    return body;
  }
}
