/** What a scenario run did, gathered from the audit trail, the mailer and the run's end. */
export interface ObservedRights {
  step: string;
  tool: string;
  decision: 'allow' | 'approve' | 'deny';
  rule: string | null;
  reason: string;
}

export interface ObservedToolCall {
  step: string;
  tool: string;
  input: unknown;
  status: 'ran' | 'error' | 'refused' | 'not-run';
}

export interface ObservedApproval {
  step: string;
  tool: string | null;
  approvers: string[];
  outcome: 'approved' | 'rejected' | 'expired' | 'pending' | 'cancelled';
}

export interface ObservedRun {
  status: 'succeeded' | 'failed' | 'waiting';
  error?: string;
  rights: ObservedRights[];
  toolCalls: ObservedToolCall[];
  approvals: ObservedApproval[];
  emails: { to: string; subject: string }[];
  output: unknown;
}
