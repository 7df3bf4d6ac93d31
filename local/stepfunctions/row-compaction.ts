/**
 * What an execution's row leaves out because its other columns already say it
 * (store schema 8). Rows of a 100-state chain (~1,650 bytes) and of an
 * execution waiting on a task token (~1,540 when inserted) fit two to a
 * 4 KiB page; without the ~90-byte ARN and the ~190 bytes of
 * ExecutionStarted details (input, role and machine, all columns of the same
 * row) three do, so each commit writes fewer pages (store-schema.ts keeps
 * the counts). Nothing is dropped that a read cannot rebuild exactly: text
 * that differs from what the columns rebuild is stored as it is.
 */
import { constantEncodedDetails, startedArns } from './history-chunk';

/** The columns of an execution's row that what it leaves out is rebuilt from. */
interface RowColumns {
  arn: string;
  sm_arn: string;
  name: string;
  input: string;
  role_arn: string;
}

/** The start of an execution's first event in its first chunk (history-chunk.ts): ExecutionStarted, 0 ms after the base, previous event 0. */
const STARTED_LINE = '\n0\t0\t1\t';
/** The same line with its details left out: `*`, then the letter of the form they were written in, then the line's end. */
const ELIDED_LINE = '\n0\t0\t1\t*';

/**
 * ExecutionStarted's details after their form letter: `e` their three values as the engine writes them (startedDetails in
 * history-chunk.ts), `j` the details' JSON as engines before it wrote them; `tail` what follows the input.
 */
function startedText(form: string, input: string, tail: string): string {
  return form === 'j' ? `{"input":${JSON.stringify(input)}${tail}` : `${JSON.stringify(input)}${tail}`;
}
function startedTail(form: string, roleArn: string, stateMachineArn: string): string {
  if (form === 'e') return `,${startedArns(roleArn, stateMachineArn)}`;
  return `,"inputDetails":{"truncated":false},"roleArn":${JSON.stringify(roleArn)},"stateMachineArn":${JSON.stringify(stateMachineArn)}}`;
}
const isForm = (form: string) => form === 'j' || form === 'e';

/**
 * ExecutionStarted's details as a new execution's first chunk writes them: already left out (the row it goes to holds its
 * input, role and machine, and the engine takes the details from those very values), so they are never serialised only to
 * be compared and cut again. The rare first chunk too long for the row is expanded (expandStarted) before it goes to the
 * history table.
 */
export const ELIDED_STARTED = constantEncodedDetails('*e');

/** Where the line after a chunk's header starts, if the chunk is an execution's first (first event id 1). */
function afterHeader(history: string): number {
  return history.charCodeAt(0) === 49 && history.charCodeAt(1) === 9 ? history.indexOf('\n') : -1;
}

/** Whether `history` (a row's) has its ExecutionStarted details left out. */
export function startedElided(history: string): boolean {
  const at = afterHeader(history);
  return at >= 0 && history.startsWith(ELIDED_LINE, at);
}

/** A row's history as the engine wrote it: the ExecutionStarted details elideStarted left out, rebuilt from the row. */
export function expandStarted(history: string, input: string, roleArn: string, stateMachineArn: string): string {
  if (!startedElided(history)) return history;
  const at = afterHeader(history);
  const form = history[at + ELIDED_LINE.length];
  const end = at + ELIDED_LINE.length + 1;
  if (!isForm(form) || history.charCodeAt(end) !== 10) return history;
  return `${history.slice(0, at)}${STARTED_LINE}${form}${startedText(form, input, startedTail(form, roleArn, stateMachineArn))}${history.slice(end)}`;
}

export class RowCompaction {
  /** Per machine ARN: the start of its executions' ARNs. */
  private readonly arnPrefixes = new Map<string, string>();
  /** The ExecutionStarted tail for the last form, machine and role seen (executions of one machine come in runs). */
  private lastTail: { form: string; role: string; machine: string; text: string } | null = null;

  /** Whether `row`'s ARN is the one its machine ARN and name make (the store then keeps it empty, see EXECUTION_ARN). */
  derivesArn(row: Pick<RowColumns, 'arn' | 'sm_arn' | 'name'>): boolean {
    let prefix = this.arnPrefixes.get(row.sm_arn);
    if (prefix === undefined) {
      prefix = `${row.sm_arn.replace(':stateMachine:', ':execution:')}:`;
      if (this.arnPrefixes.size >= 10_000) this.arnPrefixes.clear();
      this.arnPrefixes.set(row.sm_arn, prefix);
    }
    const { arn, name } = row;
    return arn.length === prefix.length + name.length && arn.startsWith(prefix) && arn.endsWith(name);
  }

  /** `history` (an execution's first chunk) without its ExecutionStarted details when the row's own columns rebuild them exactly. */
  elideStarted(history: string, row: Pick<RowColumns, 'input' | 'role_arn' | 'sm_arn'>): string {
    const at = afterHeader(history);
    if (at < 0 || !history.startsWith(STARTED_LINE, at)) return history;
    const form = history[at + STARTED_LINE.length];
    if (!isForm(form)) return history;
    const i = at + STARTED_LINE.length + 1;
    const details = startedText(form, row.input, this.tail(form, row.role_arn, row.sm_arn));
    if (!history.startsWith(details, i) || history.charCodeAt(i + details.length) !== 10) return history;
    return `${history.slice(0, at)}${ELIDED_LINE}${form}${history.slice(i + details.length)}`;
  }

  private tail(form: string, role: string, machine: string): string {
    const last = this.lastTail;
    if (last && last.form === form && last.role === role && last.machine === machine) return last.text;
    const text = startedTail(form, role, machine);
    this.lastTail = { form, role, machine, text };
    return text;
  }
}
