/**
 * Type tests, checked by `npm run typecheck` (part of `npm test`): every
 * `@ts-expect-error` below must be an error, or tsc fails ("unused directive").
 */
import { z } from 'zod';
import { defineAgent, defineCatalog, definePerson, defineTool } from '../../shared/definition';

const people = [definePerson({ id: 'ana', name: 'Ana', email: 'ana@example.com', roles: ['lead'] })] as const;
const lookup = defineTool({
  id: 'orders.lookup',
  description: 'Look up an order by id',
  input: z.object({ id: z.string() }),
  sideEffect: 'read',
  idempotent: true,
  handler: async (input) => ({ id: input.id }),
});
const helper = defineAgent({ id: 'helper', model: 'amazon.nova-lite-v1:0', instructions: 'Help customers with their orders.', tools: ['orders.lookup'] });
const aios = defineCatalog({ people, tools: [lookup] as const, agents: [helper] as const });

aios.agent('a', { agent: 'helper', task: 't' });
// @ts-expect-error unknown agent
aios.agent('b', { agent: 'nobody', task: 't' });
aios.tool('c', { tool: 'orders.lookup', input: {} });
// @ts-expect-error unknown tool
aios.tool('d', { tool: 'orders.delete', input: {} });
aios.approval('e', { approvers: ['ana', 'role:lead'], timeout: '1h', onTimeout: 'reject', subject: 's' });
// @ts-expect-error unknown person
aios.approval('f', { approvers: ['bob'], timeout: '1h', onTimeout: 'reject', subject: 's' });
// @ts-expect-error a role no person holds
aios.approval('g', { approvers: ['role:finance'], timeout: '1h', onTimeout: 'reject', subject: 's' });
// @ts-expect-error unknown escalation approver
aios.approval('h', { approvers: ['ana'], timeout: '1h', onTimeout: { escalateTo: ['zed'], timeout: '1h' }, subject: 's' });
aios.rules([{ id: 'r1', tool: 'orders.*', agent: 'helper', outcome: 'allow' }]);
// @ts-expect-error unknown tool in a rule
aios.rules([{ id: 'r2', tool: 'orders.lookupp', outcome: 'allow' }]);
// @ts-expect-error unknown approver in a rule
aios.rules([{ id: 'r3', tool: 'orders.lookup', outcome: 'approve', approvers: ['role:cfo'] }]);

const stray = defineAgent({ id: 'stray', model: 'amazon.nova-lite-v1:0', instructions: 'Uses a tool nobody defined at all.', tools: ['orders.refund'] });
// @ts-expect-error an agent naming a tool the catalog does not have
defineCatalog({ people, tools: [lookup] as const, agents: [stray] as const });
