/**
 * Whole-definition validation: every kind of mistake is reported with its
 * path, all at once, never as a thrown exception.
 */
import { z } from 'zod';
import exampleOs from '../../../examples/kestrel-coffee';
import { validateOs, type DefinitionProblem, type OsDefinition } from '../../../shared/definition';

type Mutable = { -readonly [K in keyof OsDefinition]: unknown } & Record<string, unknown>;

/** A small, valid definition each test breaks in one way. */
function base(): Mutable {
  const lookup = {
    id: 'orders.lookup',
    description: 'Look up an order by its id',
    input: z.object({ orderId: z.string(), amount: z.number() }),
    sideEffect: 'read',
    idempotent: true,
    handler: async () => ({}),
  };
  const refund = { ...lookup, id: 'orders.refund', description: 'Refund an order to the customer', sideEffect: 'external' };
  return {
    name: 'Test Co',
    people: [
      { id: 'ana', name: 'Ana', email: 'ana@example.com', roles: ['lead'] },
      { id: 'ben', name: 'Ben', email: 'ben@example.com', roles: ['finance'] },
    ],
    tools: [lookup, refund],
    agents: [
      {
        id: 'helper',
        model: 'amazon.nova-lite-v1:0',
        instructions: 'Help customers with their orders, kindly.',
        tools: ['orders.lookup', 'orders.refund'],
        knowledge: ['help'],
      },
    ],
    knowledge: { namespaces: [{ id: 'help', description: 'Help articles' }] },
    rights: [
      { id: 'small', tool: 'orders.refund', when: 'amount <= 50', outcome: 'allow' },
      { id: 'big', tool: 'orders.refund', outcome: 'approve', approvers: ['role:lead'], timeout: '1h', onTimeout: 'reject' },
    ],
    workflows: [
      {
        id: 'orders',
        description: 'Handle order questions',
        triggers: [
          { kind: 'event', pattern: { source: ['shop'] } },
          { kind: 'schedule', expression: 'rate(1 hour)' },
        ],
        steps: [
          { kind: 'agent', id: 'answer', agent: 'helper', task: 'Answer the question', input: { $ref: 'event.detail' } },
          { kind: 'approval', id: 'check', approvers: ['ana'], timeout: '2h', onTimeout: 'reject', subject: 'OK?' },
          { kind: 'succeed', id: 'done' },
        ],
      },
    ],
  };
}

function problemsOf(definition: unknown): DefinitionProblem[] {
  const result = validateOs(definition);
  return result.ok ? [] : result.problems;
}

const wf = (d: Mutable) => (d.workflows as { steps: Record<string, unknown>[]; triggers: Record<string, unknown>[] }[])[0];

describe('validateOs', () => {
  test('the shipped example and the base fixture are valid', () => {
    expect(problemsOf(exampleOs)).toEqual([]);
    expect(problemsOf(base())).toEqual([]);
  });

  const cases: [string, (d: Mutable) => void, { path: string; message: RegExp }][] = [
    [
      'unknown agent in a step',
      (d) => (wf(d).steps[0].agent = 'helpr'),
      { path: 'workflows.orders.steps.answer.agent', message: /unknown agent "helpr" \(did you mean "helper"\?\)/ },
    ],
    [
      'a retired model, naming its successor',
      (d) => ((d.agents as { model: string }[])[0].model = 'us.anthropic.claude-3-5-haiku-20241022-v1:0'),
      { path: 'agents.helper.model', message: /end of life on Bedrock on 2026-06-19.*use us\.anthropic\.claude-haiku-4-5-20251001-v1:0/ },
    ],
    [
      'unknown tool in an agent',
      (d) => ((d.agents as { tools: string[] }[])[0].tools = ['orders.lookup', 'orders.delete']),
      { path: 'agents.helper.tools[1]', message: /unknown tool "orders.delete"/ },
    ],
    [
      'unknown tool in a tool step',
      (d) => wf(d).steps.splice(1, 0, { kind: 'tool', id: 'fetch', tool: 'orders.fetch', input: {} }),
      { path: 'workflows.orders.steps.fetch.tool', message: /unknown tool "orders.fetch"/ },
    ],
    [
      'unknown person as approver',
      (d) => (wf(d).steps[1].approvers = ['zed']),
      { path: 'workflows.orders.steps.check.approvers[0]', message: /unknown person "zed"/ },
    ],
    [
      'a role no person holds',
      (d) => (wf(d).steps[1].approvers = ['role:legal']),
      { path: 'workflows.orders.steps.check.approvers[0]', message: /no person holds the role "legal"/ },
    ],
    [
      'an unreachable quorum',
      (d) => Object.assign(wf(d).steps[1], { approvers: ['ana'], quorum: 2 }),
      { path: 'workflows.orders.steps.check.quorum', message: /quorum of 2 cannot be reached/ },
    ],
    [
      'duplicate person ids',
      (d) => (d.people as unknown[]).push({ id: 'ana', name: 'Ana 2', email: 'ana2@example.com', roles: [] }),
      { path: 'people[2].id', message: /duplicate id "ana"/ },
    ],
    ['duplicate step ids', (d) => (wf(d).steps[1].id = 'answer'), { path: 'workflows.orders.steps.answer', message: /duplicate step id "answer"/ }],
    ['a bad email', (d) => ((d.people as { email: string }[])[1].email = 'ben@'), { path: 'people.ben.email', message: /email/i }],
    ['an unreachable step', (d) => (wf(d).steps[0].next = 'done'), { path: 'workflows.orders.steps.check', message: /unreachable/ }],
    [
      'a loop without an exit',
      (d) => {
        wf(d).steps[0].next = 'check';
        wf(d).steps[1].next = 'answer';
      },
      { path: 'workflows.orders.steps.answer', message: /loop without an exit/ },
    ],
    [
      'an invalid EventBridge pattern',
      (d) => (wf(d).triggers[0].pattern = { source: 'shop' }),
      { path: 'workflows.orders.triggers[0].pattern', message: /.+/ },
    ],
    ['an invalid rate expression', (d) => (wf(d).triggers[1].expression = 'rate(0 hours)'), { path: 'workflows.orders.triggers[1].expression', message: /.+/ }],
    [
      'an invalid cron expression',
      (d) => (wf(d).triggers[1].expression = 'cron(0 25 * * ? *)'),
      { path: 'workflows.orders.triggers[1].expression', message: /.+/ },
    ],
    ['a next that names no step', (d) => (wf(d).steps[0].next = 'nowhere'), { path: 'workflows.orders.steps.answer.next', message: /unknown step "nowhere"/ }],
    [
      'a path to an unknown step',
      (d) => (wf(d).steps[0].input = { $ref: 'steps.nope.x' }),
      { path: 'workflows.orders.steps.answer.input', message: /unknown step "nope"/ },
    ],
    [
      'an unknown knowledge namespace',
      (d) => ((d.agents as { knowledge: string[] }[])[0].knowledge = ['helpp']),
      { path: 'agents.helper.knowledge[0]', message: /unknown knowledge namespace "helpp"/ },
    ],
    [
      'a rule naming an unknown tool',
      (d) => ((d.rights as { tool: string }[])[0].tool = 'orders.refnd'),
      { path: 'rights.small.tool', message: /matches no tool/ },
    ],
    [
      'a rule condition on a field the tool lacks',
      (d) => ((d.rights as { when: string }[])[0].when = 'amout <= 50'),
      { path: 'rights.small.when', message: /amout/ },
    ],
    [
      'a rule for a tool the agent is not allowed to use',
      (d) => {
        (d.agents as { tools: string[] }[])[0].tools = ['orders.lookup'];
        (d.rights as Record<string, unknown>[]).push({ id: 'helper-refunds', tool: 'orders.refund', agent: 'helper', outcome: 'allow' });
      },
      { path: 'rights.helper-refunds.agent', message: /not allowed to use "orders.refund"/ },
    ],
    ['an unknown field (typo)', (d) => (wf(d).steps[0].agnet = 'helper'), { path: 'workflows.orders.steps.answer', message: /unknown field "agnet"/ }],
    ['an invalid duration', (d) => (wf(d).steps[1].timeout = '2 hours'), { path: 'workflows.orders.steps.check.timeout', message: /duration/ }],
    [
      'item used outside a map',
      (d) => (wf(d).steps[0].input = { $ref: 'item.id' }),
      { path: 'workflows.orders.steps.answer.input', message: /only inside a map/ },
    ],
    [
      'a bad tool side-effect class',
      (d) => ((d.tools as Record<string, unknown>[])[0].sideEffect = 'delete'),
      { path: 'tools.orders.lookup.sideEffect', message: /read|write|external/ },
    ],
  ];

  test.each(cases)('%s', (_, mutate, expected) => {
    const d = base();
    mutate(d);
    const problems = problemsOf(d);
    expect(problems).toContainEqual({ path: expected.path, message: expect.stringMatching(expected.message) });
  });

  test('reports every problem at once, not the first only', () => {
    const d = base();
    wf(d).steps[0].agent = 'nobody';
    wf(d).steps[1].approvers = ['zed'];
    (d.people as { email: string }[])[0].email = 'not-an-email';
    const paths = problemsOf(d).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['workflows.orders.steps.answer.agent', 'workflows.orders.steps.check.approvers[0]', 'people.ana.email']));
  });

  test('never throws on garbage', () => {
    for (const garbage of [null, 42, 'x', [], { people: 'many' }, { workflows: [{ steps: [{ kind: 'teleport' }] }] }]) {
      expect(() => validateOs(garbage)).not.toThrow();
      expect(validateOs(garbage).ok).toBe(false);
    }
  });
});
