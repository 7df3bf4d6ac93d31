/** An execution's row as the store reads and writes it (store.ts; new rows through execution-inserts.ts). */
export interface ExecutionRow {
  /** Integer key: history rows are keyed by it (an ARN per row would double their size). */
  id: number;
  arn: string;
  sm_arn: string;
  name: string;
  def_hash: string;
  role_arn: string;
  input: string;
  status: string;
  started: number;
  stopped: number | null;
  output: string | null;
  error: string | null;
  cause: string | null;
  timeout_at: number | null;
}
