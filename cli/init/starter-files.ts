/**
 * The files `aios init` writes: a small, working AI OS for one repetitive
 * process (vendor invoice intake at a bookkeeping office) with one person,
 * one tool calling an HTTP API, one agent, one event-triggered workflow,
 * decision rights that allow, ask and refuse, one knowledge document, one
 * recording, two scenarios and a sample event that starts the workflow (for
 * `aios agent prompt`, `aios start --input` and `aios send-event`). Every file is meant to be edited.
 */

/** `shared` is the import path from the written folder to the project's `shared/` (e.g. `../shared`). */
export function starterFiles(shared: string): Record<string, string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'index.ts': `/**
 * Your AI OS. Check it with \`npx aios validate\`, run its scenarios with
 * \`npx aios test\`, start it with \`npm start\`. Folders named here are
 * next to this file, so the definition works wherever it lives.
 */
import path from 'node:path';
import { defineOs } from '${shared}/definition';
import { aios } from './catalog';
import { rights } from './rights';
import { invoiceIntake } from './workflows';

export default defineOs({
  name: 'Northwind Bookkeeping',
  people: aios.people,
  tools: aios.tools,
  agents: aios.agents,
  knowledge: {
    namespaces: [{ id: 'payables', description: 'How the office pays vendors: who we know, what we check' }],
    seedDir: path.join(__dirname, 'knowledge'),
  },
  recordingsDir: path.join(__dirname, 'recordings'),
  scenariosDir: path.join(__dirname, 'scenarios'),
  // Rules read these as lists.<name> and facts.<name>: what the rules know is not what the model says.
  lists: { approvedVendors: ['V-100', 'V-200'] },
  facts: {
    vendorApproved: {
      description: 'The vendor the payment goes to is on the approved list',
      type: 'boolean',
      of: (input, { lists }) => lists.approvedVendors.includes((input as { vendorId?: string }).vendorId ?? ''),
    },
  },
  rights,
  workflows: [invoiceIntake],
});
`,
    'people.ts': `import { definePerson } from '${shared}/definition';

/** People approve what the agents may not do alone. Roles name who may approve what. */
export const people = [definePerson({ id: 'ana', name: 'Ana Lima', email: 'ana@northwind.example', roles: ['office-manager', 'admin'] })] as const;
`,
    'tools.ts': `import { defineTool, z } from '${shared}/definition';
import { knowledgeSearch } from '${shared}/tools/builtins/knowledge';

/**
 * Schedules a vendor payment through the payments provider's HTTP API.
 *
 * Until its API and key are set up, calls fail and the agent says nothing was
 * scheduled (scenarios answer for the tool instead). Its API key is the secret
 * "payments-api-key", declared in \`secrets\` and read with \`ctx.secret\`:
 * - on this machine: the env var AIOS_SECRET_PAYMENTS_API_KEY, or the file
 *   .aios/secrets/payments-api-key (under AIOS_DATA_DIR);
 * - on AWS: the stack creates the Secrets Manager secret aios/tools/payments-api-key
 *   and lets this tool's function, and only it, read it; put the key in after deploy:
 *   aws secretsmanager put-secret-value --secret-id aios/tools/payments-api-key --secret-string ...
 *   (or name a secret you already have: { name: 'payments-api-key', awsSecretName: 'northwind/payments' }).
 */
export const schedulePayment = defineTool({
  id: 'payments.schedule',
  description: 'Schedule payment of a vendor invoice on a given date. Use only for invoices checked against the vendor list.',
  input: z.strictObject({
    vendorId: z.string().min(1).describe('the vendor id from the vendor list, e.g. V-100'),
    invoiceNumber: z.string().min(1),
    amount: z.number().positive().max(1_000_000).describe('amount in US dollars'),
    payOn: z.string().regex(/^\\d{4}-\\d{2}-\\d{2}$/, 'a date like 2026-12-15'),
  }),
  sideEffect: 'external',
  idempotent: true,
  timeoutSeconds: 15,
  config: { baseUrl: 'https://api.payments.example/v1/' },
  secrets: [{ name: 'payments-api-key', description: 'API key of the payments provider' }],
  handler: async (input, ctx) => {
    const key = await ctx.secret('payments-api-key');
    const response = await fetch(new URL('payments', String(ctx.config.baseUrl)), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: \`Bearer \${key}\`, 'idempotency-key': ctx.idempotencyKey },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(\`the payments API answered \${response.status}\`);
    return response.json();
  },
});

export const tools = [knowledgeSearch, schedulePayment] as const;
`,
    'agents.ts': `import { defineAgent, z } from '${shared}/definition';

export const intake = defineAgent({
  id: 'intake',
  model: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  instructions: [
    'You handle vendor invoices for Northwind Bookkeeping. For each invoice: check the vendor against the payment policy,',
    'then schedule the payment for the due date. Never pay a vendor the policy does not list. Finish with the summary.',
  ].join(' '),
  tools: ['knowledge.search', 'payments.schedule'],
  knowledge: ['payables'],
  output: z.strictObject({
    invoiceNumber: z.string(),
    vendorId: z.string().nullable(),
    amount: z.number(),
    scheduled: z.boolean(),
    summary: z.string().min(1).max(1000),
  }),
  maxTurns: 6,
});
`,
    'catalog.ts': `/** The typed DSL: ids of people, tools and agents are checked by TypeScript. */
import { defineCatalog } from '${shared}/definition';
import { intake } from './agents';
import { people } from './people';
import { tools } from './tools';

export const aios = defineCatalog({ people, tools, agents: [intake] as const });
`,
    'rights.ts': `/** Decision rights: ordered, the first matching rule decides; a tool with side effects no rule allows is refused. */
import { aios } from './catalog';

export const rights = aios.rules([
  { id: 'read-policy', tool: 'knowledge.search', outcome: 'allow' },
  { id: 'unknown-vendors', tool: 'payments.schedule', when: 'not facts.vendorApproved', outcome: 'deny', reason: 'Only vendors on the approved list are paid.' },
  { id: 'small-payments', tool: 'payments.schedule', when: 'amount <= 1000', outcome: 'allow', description: 'Up to $1,000 without asking.' },
  {
    id: 'office-manager-approves',
    tool: 'payments.schedule',
    when: 'amount <= 10000',
    outcome: 'approve',
    approvers: ['role:office-manager'],
    timeout: '24h',
    onTimeout: 'reject',
  },
  { id: 'no-large-payments', tool: 'payments.schedule', outcome: 'deny', reason: 'Payments over $10,000 are made by the partners outside AIOS.' },
]);
`,
    'workflows.ts': `import { aios } from './catalog';

const { ref } = aios;

/** An invoice arrives (an event your mailbox or accounting system sends) → the intake agent checks and schedules it. */
export const invoiceIntake = aios.workflow({
  id: 'invoice-intake',
  description: 'Check a vendor invoice against the payment policy and schedule its payment.',
  triggers: [aios.onEvent({ source: ['northwind.invoices'], 'detail-type': ['invoice.received'] }, { description: 'an invoice arrived' }), aios.manually()],
  steps: [
    aios.agent('intake', {
      agent: 'intake',
      task: 'A vendor invoice arrived. Check it and schedule its payment.',
      input: { invoice: ref('event.detail') },
    }),
    aios.succeed('done'),
  ],
});
`,
    'knowledge/payables/payment-policy.md': `---
namespace: payables
title: Vendor payment policy
tags: [vendors, invoices, payments]
---

# Vendor payment policy

## Vendors we pay

| vendor id | vendor | pays on |
|---|---|---|
| V-100 | Harbor Office Supply | the due date |
| V-200 | Cedar IT Services | the due date |

An invoice from a vendor not in this list is not paid: tell the office manager.

## Checks

The invoice number, the amount and the due date must be on the invoice. Pay on the due date, never earlier.
`,
    'recordings/invoice-intake.json': json({
      description:
        'The intake agent reads the policy, then schedules the invoice (INV-1001: $420 to Harbor Office Supply; INV-1002: $2,400 to Cedar IT Services).',
      match: { agent: 'intake', firstMessageContains: ['INV-'] },
      turns: [
        {
          response: {
            stopReason: 'tool_use',
            output: {
              message: {
                role: 'assistant',
                content: [
                  { text: 'Let me check the vendor list.' },
                  { toolUse: { name: 'knowledge.search', input: { query: 'vendors we pay', namespace: 'payables' } } },
                ],
              },
            },
          },
        },
        {
          alternatives: [
            {
              whenConversationContains: ['INV-1002'],
              response: {
                stopReason: 'tool_use',
                output: {
                  message: {
                    role: 'assistant',
                    content: [
                      { text: 'Cedar IT Services is V-200.' },
                      { toolUse: { name: 'payments.schedule', input: { vendorId: 'V-200', invoiceNumber: 'INV-1002', amount: 2400, payOn: '2026-12-20' } } },
                    ],
                  },
                },
              },
            },
          ],
          response: {
            stopReason: 'tool_use',
            output: {
              message: {
                role: 'assistant',
                content: [
                  { text: 'Harbor Office Supply is V-100.' },
                  { toolUse: { name: 'payments.schedule', input: { vendorId: 'V-100', invoiceNumber: 'INV-1001', amount: 420, payOn: '2026-12-15' } } },
                ],
              },
            },
          },
        },
        {
          alternatives: [
            {
              whenConversationContains: ['Not run'],
              response: {
                stopReason: 'end_turn',
                output: {
                  message: {
                    role: 'assistant',
                    content: [
                      {
                        text: '{"invoiceNumber":"INV-1002","vendorId":"V-200","amount":2400,"scheduled":false,"summary":"The payment was not approved; nothing was scheduled."}',
                      },
                    ],
                  },
                },
              },
            },
            {
              whenConversationContains: ['payments.schedule failed', 'INV-1002'],
              response: {
                stopReason: 'end_turn',
                output: {
                  message: {
                    role: 'assistant',
                    content: [
                      {
                        text: '{"invoiceNumber":"INV-1002","vendorId":"V-200","amount":2400,"scheduled":false,"summary":"The payments API refused or could not be reached; nothing was scheduled."}',
                      },
                    ],
                  },
                },
              },
            },
            {
              whenConversationContains: ['payments.schedule failed'],
              response: {
                stopReason: 'end_turn',
                output: {
                  message: {
                    role: 'assistant',
                    content: [
                      {
                        text: '{"invoiceNumber":"INV-1001","vendorId":"V-100","amount":420,"scheduled":false,"summary":"The payments API refused or could not be reached; nothing was scheduled."}',
                      },
                    ],
                  },
                },
              },
            },
            {
              whenConversationContains: ['INV-1002'],
              response: {
                stopReason: 'end_turn',
                output: {
                  message: {
                    role: 'assistant',
                    content: [
                      {
                        text: '{"invoiceNumber":"INV-1002","vendorId":"V-200","amount":2400,"scheduled":true,"summary":"Scheduled $2,400 to Cedar IT Services for 2026-12-20."}',
                      },
                    ],
                  },
                },
              },
            },
          ],
          response: {
            stopReason: 'end_turn',
            output: {
              message: {
                role: 'assistant',
                content: [
                  {
                    text: '{"invoiceNumber":"INV-1001","vendorId":"V-100","amount":420,"scheduled":true,"summary":"Scheduled $420 to Harbor Office Supply for 2026-12-15."}',
                  },
                ],
              },
            },
          },
        },
      ],
    }),
    'events/invoice-received.json': json({
      source: 'northwind.invoices',
      'detail-type': 'invoice.received',
      detail: { invoiceNumber: 'INV-1001', vendor: 'Harbor Office Supply', amount: 420, dueDate: '2026-12-15' },
    }),
    'scenarios/01-small-invoice-paid.json': json({
      name: 'a $420 invoice from a known vendor is scheduled without asking',
      workflow: 'invoice-intake',
      clock: '2026-12-07T10:00:00-06:00',
      event: {
        source: 'northwind.invoices',
        'detail-type': 'invoice.received',
        detail: { invoiceNumber: 'INV-1001', vendor: 'Harbor Office Supply', amount: 420, dueDate: '2026-12-15' },
      },
      tools: { 'payments.schedule': { result: { paymentId: 'pay_1001', status: 'scheduled' } } },
      expect: {
        status: 'succeeded',
        rights: [
          { tool: 'knowledge.search', decision: 'allow', rule: 'read-policy' },
          { tool: 'payments.schedule', decision: 'allow', rule: 'small-payments' },
        ],
        toolCalls: [{ tool: 'knowledge.search' }, { tool: 'payments.schedule', input: { vendorId: 'V-100', amount: 420 }, status: 'ran' }],
        approvals: [],
        output: { intake: { scheduled: true } },
      },
    }),
    'scenarios/02-larger-invoice-approved.json': json({
      name: 'a $2,400 invoice asks the office manager; Ana approves',
      workflow: 'invoice-intake',
      clock: '2026-12-07T10:00:00-06:00',
      event: {
        source: 'northwind.invoices',
        'detail-type': 'invoice.received',
        detail: { invoiceNumber: 'INV-1002', vendor: 'Cedar IT Services', amount: 2400, dueDate: '2026-12-20' },
      },
      people: ['ana approves'],
      expect: {
        status: 'succeeded',
        rights: [
          { tool: 'knowledge.search', decision: 'allow' },
          { tool: 'payments.schedule', decision: 'approve', rule: 'office-manager-approves' },
        ],
        toolCalls: [{ tool: 'knowledge.search' }, { tool: 'payments.schedule', input: { amount: 2400 }, status: 'ran' }],
        approvals: [{ tool: 'payments.schedule', approvers: ['ana'], outcome: 'approved' }],
        emails: [{ to: 'ana@northwind.example' }],
        output: { intake: { scheduled: true } },
      },
    }),
  };
}
