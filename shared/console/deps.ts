/**
 * Everything the console's domain needs, as ports and stores. Built once
 * per process from the environment by the console handler's composition
 * (functions/console/console-deps.ts); unit tests build it on in-memory
 * tables and fakes.
 */
import type { ApprovalLists } from '../approvals/approval-lists';
import type { ApprovalDeps, Mailer } from '../approvals/approval-service';
import type { PromptAgent } from '../agents/prompt';
import type { AuditLog } from '../audit/audit-log';
import type { KnowledgeStore } from '../knowledge';
import type { ExplainQuestion } from '../rights/explain-call';
import type { DecisionRule } from '../rights/rule-schema';
import type { StoredConversation } from '../run-conversation';
import type { ControlStore } from './controls';
import type { GraphLayout } from './graph-layout';
import type { AwsCostOfRun } from './outcomes';
import type { ExecutionsPort, SpendPort, TriggerSwitch } from './ports';
import type { RunsToday } from './runs-today';
import type { SessionStore } from './session-store';
import type { SignInLinkStore } from './sign-in-links';

export interface ConsoleDefinition {
  name: string;
  workflows: readonly { id: string; description: string }[];
  agents: readonly { id: string; description: string }[];
  /** Decision rules, to show which rule asked for an approval. */
  rules: readonly { id: string; description?: string }[];
  /** What one attempt of a workflow costs on AWS (`aios cost`'s model at the attempt's shape), added to outcomes' spend; absent: models only. */
  awsCostOfRun?: AwsCostOfRun;
  /** The agents as the agent step prompts them, to show a conversation's system prompt. */
  promptAgents?: readonly PromptAgent[];
  /** Every tool id, to show a call's tool by its id rather than its model-facing name. */
  toolIds?: readonly string[];
  /** A workflow's compiled state machine, laid out (graph-layout.ts), to draw it; undefined for an unknown workflow. */
  graphOf?: (workflowId: string) => GraphLayout | undefined;
  /** The rules in order, to show them in plain words. */
  decisionRules?: readonly DecisionRule[];
  /** `aios rights explain`'s answer for a hypothetical call (the same function). */
  explain?: (question: ExplainQuestion, now: Date) => Promise<string>;
}

/** The agents' stored conversations (the `state` table). */
export interface ConversationReader {
  ofRun(runId: string): Promise<StoredConversation[]>;
}

/**
 * What the knowledge page reads and does: the whole store, or, in a deployment without embeddings, the curator
 * (shared/knowledge/curator.ts), which carries none of the write path.
 */
export type ConsoleKnowledge = Pick<KnowledgeStore, 'listNamespaces' | 'search' | 'getDocument' | 'listDocuments' | 'listVersions' | 'retireDocument'>;

export interface ConsoleDeps {
  definition: ConsoleDefinition;
  /** The approval service's own ports: the console decides through it. */
  approvals: ApprovalDeps;
  /** The approvals the pages list, found through their index entries. */
  approvalLists: ApprovalLists;
  audit: AuditLog;
  sessions: SessionStore;
  signInLinks: SignInLinkStore;
  controls: ControlStore;
  executions: ExecutionsPort;
  runsToday: RunsToday;
  triggers: TriggerSwitch;
  spend: SpendPort;
  conversations: ConversationReader;
  /** The knowledge base agents search (absent: the knowledge page says so). */
  knowledge?: ConsoleKnowledge;
  mailer: Mailer;
  /** Base URL the emailed sign-in links point at (no trailing slash). */
  publicUrl: string;
  /** Set `Secure` on cookies (HTTPS, on AWS). */
  secureCookies: boolean;
  now(): Date;
}

/** The audit chain of console-wide records (sign-ins, refusals, steering), one per UTC day. */
export function consoleChain(now: Date): string {
  return `console-${now.toISOString().slice(0, 10)}`;
}
