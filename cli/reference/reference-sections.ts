/** The parts of a definition the reference documents, in the order a business writes them. */
import { z } from 'zod';
import { recordingSchema } from '../../local/bedrock/recordings';
import { agentSchema } from '../../shared/definition/agent';
import { knowledgeSchema } from '../../shared/definition/knowledge';
import { personSchema } from '../../shared/definition/person';
import { toolSchema } from '../../shared/definition/tool';
import { workflowSchema } from '../../shared/definition/workflow';
import { factSchema, listsSchema } from '../../shared/rights/facts-schema';
import { decisionRuleSchema } from '../../shared/rights/rule-schema';
import { scenarioSchema } from '../../shared/scenarios/scenario-schema';
import type { ReferenceSection } from './render-reference';

export const REFERENCE_FILE = 'docs/reference.md';

export const referenceSections: ReferenceSection[] = [
  {
    title: 'Definition',
    intro: '`defineOs({...})`, the default export of `os/index.ts`. Folder paths are relative to the repository root, or absolute.',
    schema: z.strictObject({
      name: z.string().min(1).describe("The business's name, shown in emails and the console."),
      people: z.array(z.unknown()).describe('See People.'),
      tools: z.array(z.unknown()).describe('See Tools.'),
      agents: z.array(z.unknown()).describe('See Agents.'),
      knowledge: z.unknown().describe('See Knowledge.'),
      recordingsDir: z.string().default('os/recordings').describe('Recorded model conversations for the replay provider (see Recordings).'),
      scenariosDir: z.string().default('os/scenarios').describe('Scenario files for aios test and aios eval (see Scenarios).'),
      lists: z
        .record(z.string(), z.array(z.union([z.string(), z.number()])))
        .optional()
        .describe('Named lists rules read in `when` as lists.<name>.'),
      facts: z.record(z.string(), z.unknown()).optional().describe('Facts the gate computes, read in `when` as facts.<name> (see Facts).'),
      rights: z.array(z.unknown()).describe('Decision rules, ordered, first match wins (see Decision rules).'),
      workflows: z.array(z.unknown()).describe('See Workflows.'),
      prices: z
        .record(z.string(), z.object({ inputPer1k: z.number(), outputPer1k: z.number() }))
        .optional()
        .describe('Bedrock prices per model id, USD per 1,000 tokens, overriding the built-in table.'),
    }),
  },
  { title: 'People', intro: '`definePerson({...})`: who directs and approves. Roles name groups of approvers (`role:<role>`).', schema: personSchema },
  { title: 'Tools', intro: '`defineTool({...})`: how agents act. `input` is a zod schema; `handler(input, ctx)` does the work.', schema: toolSchema },
  {
    title: 'Agents',
    intro: '`defineAgent({...})`: a model, instructions, the tools it may use, knowledge namespaces and an output schema.',
    schema: agentSchema,
  },
  { title: 'Knowledge', intro: 'The `knowledge` section: namespaces and the folder of seed documents (Markdown with front matter).', schema: knowledgeSchema },
  {
    title: 'Decision rules',
    intro:
      'One rule of `rights` (`aios.rules([...])`). `when` is an expression over the tool input (`amount <= 50`, `vendorId in lists.approvedVendors`, `not facts.vendorApproved`). See `aios rights explain`.',
    schema: decisionRuleSchema,
  },
  { title: 'Lists', intro: 'The `lists` section: name → values.', schema: listsSchema },
  {
    title: 'Facts',
    intro: 'One entry of the `facts` section: `of(input, { lists, toolId })` reads the world and returns a value of `type`; it must not change anything.',
    schema: factSchema,
  },
  {
    title: 'Workflows',
    intro:
      '`aios.workflow({...})`: triggers and steps (the DSL builds them: `aios.onEvent`, `aios.onSchedule`, `aios.manually`, `aios.agent`, `aios.tool`, `aios.approval`, `aios.choice`, `aios.emit`, …).',
    schema: workflowSchema,
  },
  {
    title: 'Recordings',
    intro:
      'A recording file (JSON) in the recordings folder: the answers the replay provider gives to one conversation. `aios agent prompt` shows the conversation key and what the agent is told.',
    schema: recordingSchema,
  },
  {
    title: 'Scenarios',
    intro: 'A scenario file (JSON) in the scenarios folder, run by `aios test` (recordings) and `aios eval` (a live model).',
    schema: scenarioSchema,
  },
];
