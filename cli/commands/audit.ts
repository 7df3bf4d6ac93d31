/**
 * `aios audit show <run>` prints a run's audit trail; `aios audit verify
 * [<run>]` checks its keyed hash chain (every run when none is named, with
 * the runs the audit index lists, so a run whose whole trail was deleted is
 * reported) and exits 1 when a record was edited, deleted, reordered or
 * added past the end of a chain, and when the chain could not be checked
 * (the audit key could not be read): `Audit.NotVerified`.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { verdictLines } from '../../shared/audit/verdict-text';
import { auditPk, type AuditLog } from '../../shared/audit/audit-log';
import { AUDIT_CHAIN_KEY } from '../../shared/audit/audit-key';
import { dataDirectory, secretEnvSuffix } from '../../shared/secrets';
import { archiveComparisonLines } from '../../shared/audit/archive-text';
import { compareWithArchive } from '../../shared/audit/archive';
import { readArchive } from '../../shared/audit/archive-read';
import { S3ArchiveStore } from '../../shared/audit/s3-archive-store';
import { s3Client } from '../../shared/aws/s3-client';
import { table } from '../../shared/composition/tables';
import type { AiosEnvironment } from '../../shared/composition/environment';
import type { ChainVerdict } from '../../shared/audit/record';
import { recordSummary } from '../../shared/audit/record-text';
import { AiosError } from '../../shared/errors';
import { auditLog } from '../../shared/composition/tables';
import { createCliEnvironment, type CliEnvironment } from '../cli-environment';
import { reachingRuntime } from './approvals';
import { printOut, terminalJson } from '../terminal-text';

class AuditChainBrokenError extends AiosError {
  constructor(runs: string[]) {
    super('Audit.ChainBroken', `the audit trail of ${runs.length === 1 ? `run ${runs[0]}` : `${runs.length} runs`} failed verification`, { runs });
  }
}

/** The chain could not be checked (the audit key could not be read): an auditor's check that did not run, never a pass. */
class AuditNotVerifiedError extends AiosError {
  constructor(what: string, reason: string) {
    super(
      'Audit.NotVerified',
      `the audit trail of ${what} was not verified: ${reason} (nothing was checked: run it where the audit key can be read, the secret audit-chain-key on AWS, the runtime's AIOS_DATA_DIR locally)`,
      { what },
    );
  }
}

/** Verifying, with a key that cannot be read said as a check that did not run. */
async function verifying<T>(what: string, verify: () => Promise<T>): Promise<T> {
  try {
    return await verify();
  } catch (error) {
    if (error instanceof AiosError && error.code.startsWith('Secret.')) throw new AuditNotVerifiedError(what, error.message);
    throw error;
  }
}

class AuditArchiveMismatchError extends AiosError {
  constructor(count: number) {
    super('Audit.ArchiveMismatch', `${count} audit record${count === 1 ? '' : 's'} in the table and the archive disagree`, { count });
  }
}

/** Compares the table's chain records (of one run, or all) with the archive, prints what differs, returns how many. */
async function verifyArchive(env: AiosEnvironment, run: string | undefined): Promise<number> {
  const bucket = env.auditArchiveBucket;
  if (!bucket)
    throw new AiosError(
      'Audit.ArchiveNotConfigured',
      'the deployment names no audit archive bucket (output AuditArchiveBucketName): deploy it with this version of AIOS',
    );
  const inRun = (pk: string) => run === undefined || pk === auditPk(run);
  const rows = (await table(env, 'audit').scan({ pkPrefix: 'audit' })).filter((i) => inRun(String(i.pk)));
  const archived = (await readArchive(new S3ArchiveStore(s3Client({}, env.vars), bucket))).filter((w) => inRun(w.keys.pk));
  const result = compareWithArchive(rows, archived);
  for (const line of archiveComparisonLines(result, bucket)) printOut(`${line}\n`);
  return result.missingFromTable.length + result.differs.length + result.missingFromArchive.length;
}

/** The run's verdict, or why it could not be had (a reader of the table who cannot read the audit key still sees the records). */
async function verdictOf(l: AuditLog, run: string): Promise<ChainVerdict | string> {
  try {
    return await l.verify(run);
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Why a chain may read as broken though nobody touched it: locally the key is a file in the data dir, and a command
 * run with another AIOS_DATA_DIR than the runtime's reads another key, with which every record looks edited.
 */
async function keyHint(env: AiosEnvironment): Promise<string | undefined> {
  if (!env.endpoint || env.vars[`AIOS_SECRET_${secretEnvSuffix(AUDIT_CHAIN_KEY)}`]) return undefined;
  let theirs: string | undefined;
  try {
    theirs = ((await (await fetch(new URL('/health', env.endpoint))).json()) as { dataDir?: string }).dataDir;
  } catch {
    return undefined; // not the local runtime, or an older one
  }
  const ours = dataDirectory(env.vars);
  if (!theirs || path.resolve(theirs) === ours) return undefined;
  return `(this command read the audit key in the data dir ${ours}, but the runtime at ${env.endpoint} keeps its own in ${theirs}: with another key every record looks edited; run it with AIOS_DATA_DIR=${theirs})`;
}

async function printKeyHint(env: AiosEnvironment): Promise<void> {
  const hint = await keyHint(env);
  if (hint) printOut(`${hint}\n`);
}

function printVerdict(v: ChainVerdict): void {
  for (const line of verdictLines(v)) printOut(`${line}\n`);
}

export function register(program: Command, cli: CliEnvironment = createCliEnvironment()): void {
  const audit = program.command('audit').description('the tamper-evident audit trail of runs');
  audit
    .command('show <run>')
    .description("print a run's audit records in order, then whether its chain is intact (exit 1 when it is not, or could not be checked)")
    .option('--json', 'print the records as JSON lines (and nothing else)')
    .action(async (run: string, options: { json?: boolean }) => {
      const env = cli.current();
      const l = auditLog(env);
      const records = await reachingRuntime(env, () => l.records(run));
      if (options.json) {
        // Records only, for programs; a trail deleted whole (no records) is still an error.
        if (records.length === 0 && !(await l.verify(run)).ok) throw new AuditChainBrokenError([run]);
        for (const r of records) printOut(`${terminalJson(r)}\n`);
        return;
      }
      // Throws Audit.RunNotFound for a run that never had a trail; a trail deleted whole is a verdict.
      const verdict = records.length === 0 ? await l.verify(run) : await verdictOf(l, run);
      // A record edited in the table reads as well as any other: the reader is told which, where they read it.
      const flagged = new Set(typeof verdict === 'string' ? [] : verdict.problems.map((p) => p.seq));
      for (const r of records) printOut(`${flagged.has(r.seq) ? '!' : ' '}${String(r.seq).padStart(3)}  ${r.at}  ${r.kind.padEnd(24)} ${recordSummary(r)}\n`);
      // The records are shown (a reader of the table who cannot read the key still sees them), but unchecked is not intact.
      if (typeof verdict === 'string') throw new AuditNotVerifiedError(`run ${run}`, verdict);
      printVerdict(verdict);
      if (verdict.ok) return;
      await printKeyHint(env);
      throw new AuditChainBrokenError([run]);
    });
  audit
    .command('verify [run]')
    .description('check the keyed hash chain of one run (or every run the log or its index knows): detects edited, deleted, reordered and added records')
    .option(
      '--archive',
      'also compare the table with the Object Lock archive of its stream: records missing from the table, records that differ from what was first written, records missing from the archive',
    )
    .action(async (run: string | undefined, options: { archive?: boolean }) => {
      const env = cli.current();
      const l = auditLog(env);
      const archiveProblems = options.archive ? await reachingRuntime(env, () => verifyArchive(env, run)) : 0;
      const verdicts = run
        ? [await reachingRuntime(env, () => verifying(`run ${run}`, () => l.verify(run)))]
        : await reachingRuntime(env, () => verifying('every run', () => l.verifyAll()));
      if (verdicts.length === 0) {
        printOut('no audit records\n');
        if (archiveProblems) throw new AuditArchiveMismatchError(archiveProblems);
        return;
      }
      const broken: string[] = [];
      for (const verdict of verdicts) {
        printVerdict(verdict);
        if (!verdict.ok) broken.push(verdict.runId);
      }
      if (broken.length) {
        await printKeyHint(env);
        throw new AuditChainBrokenError(broken);
      }
      if (archiveProblems) throw new AuditArchiveMismatchError(archiveProblems);
    });
}
