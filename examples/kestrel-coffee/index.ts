/**
 * Kestrel Coffee Co.'s AI OS: the worked example that ships with AIOS.
 * `os/index.ts` re-exports it until a business writes its own (`aios init`);
 * the project's tests import it from here, never through `os/`.
 * `npx aios validate` checks it; `npx aios compile` turns its workflows into
 * Step Functions state machines.
 */
import { defineOs } from '../../shared/definition';
import { aios } from './catalog';
import { rights } from './decision-rights';
import { salesFollowUp } from './workflows/sales-follow-up';
import { supportDesk } from './workflows/support-desk';
import { weeklyReview } from './workflows/weekly-review';

export default defineOs({
  name: 'Kestrel Coffee Co.',
  people: aios.people,
  tools: aios.tools,
  agents: aios.agents,
  knowledge: {
    namespaces: [
      { id: 'support', description: 'Policies and product answers for customer support' },
      { id: 'sales', description: 'Sales playbook and ideal customer profiles' },
    ],
    seedDir: 'examples/kestrel-coffee/knowledge',
  },
  recordingsDir: 'examples/kestrel-coffee/recordings',
  scenariosDir: 'examples/kestrel-coffee/scenarios',
  rights,
  workflows: [supportDesk, salesFollowUp, weeklyReview],
});
