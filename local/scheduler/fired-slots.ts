/**
 * The last slot fired per schedule, persisted under the data directory
 * (`<dataDir>/scheduler/fired.json`, replaced atomically) so a restart never
 * fires the same slot twice.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export class FiredSlots {
  private readonly file: string;
  private slots: Record<string, string>;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'scheduler', 'fired.json');
    this.slots = FiredSlots.load(this.file);
  }

  private static load(file: string): Record<string, string> {
    try {
      const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  last(key: string): Date | undefined {
    const iso = this.slots[key];
    return iso ? new Date(iso) : undefined;
  }

  record(key: string, slot: Date): void {
    this.slots = { ...this.slots, [key]: slot.toISOString() };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.slots, null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}
