/**
 * Validation of a whole business definition: the shape of every part (zod),
 * then every cross reference and flow rule. Reports all problems at once,
 * each with its path, and never throws on bad input.
 */
import * as z from 'zod';
import { validateEventPattern } from '../event-pattern/validate';
import { parseDuration } from '../rights/duration';
import { resolveApproverList } from '../rights/approvers';
import type { FactDefinition, Lists } from '../rights/facts';
import { factsSchema, listsSchema } from '../rights/facts-schema';
import { matchesGlob } from '../rights/glob';
import { decisionRulesSchema, type DecisionRule } from '../rights/rule-schema';
import { validateRules } from '../rights/validate-rules';
import { parseScheduleExpression } from '../schedule';
import { agentSchema, type Agent } from './agent';
import { knowledgeSchema, type KnowledgeConfig } from './knowledge';
import { personSchema, type Person } from './person';
import { formatPath, type DefinitionProblem } from './problems';
import { analyseFlow } from './step-graph';
import { toolSchema, type Tool } from './tool';
import { workflowSchema, type Condition, type Step, type Template, type Workflow } from './workflow';

/** A definition that passed validation: defaults applied, references resolved. */
export interface ValidOs {
  name: string;
  people: Person[];
  tools: Tool[];
  agents: Agent[];
  knowledge: KnowledgeConfig;
  /** Recorded model conversations for the `replay` provider, relative to the repository root (or absolute). */
  recordingsDir: string;
  /** Scenario files for `aios test` and `aios eval`, relative to the repository root (or absolute). */
  scenariosDir: string;
  /** Named lists rules read as lists.<name>. */
  lists: Lists;
  /** Facts the gate computes for rules, read as facts.<name>. */
  facts: Record<string, FactDefinition>;
  rules: DecisionRule[];
  workflows: Workflow[];
  prices: Record<string, { inputPer1k: number; outputPer1k: number }>;
}

const priceSchema = z.record(z.string(), z.strictObject({ inputPer1k: z.number().min(0), outputPer1k: z.number().min(0) }));

const sections = {
  name: z.string().min(1),
  people: z.array(personSchema),
  tools: z.array(toolSchema),
  agents: z.array(agentSchema),
  knowledge: knowledgeSchema,
  recordingsDir: z.string().min(1).default('os/recordings'),
  scenariosDir: z.string().min(1).default('os/scenarios'),
  lists: listsSchema,
  facts: factsSchema,
  rights: decisionRulesSchema,
  workflows: z.array(workflowSchema),
  prices: priceSchema.optional(),
} as const;

type Section = keyof typeof sections;

/** The top-level fields of a definition, in order (the reference documents each). */
export const DEFINITION_SECTIONS = Object.keys(sections) as Section[];

const listSections = { people: personSchema, tools: toolSchema, agents: agentSchema, workflows: workflowSchema } as const;
type ListSection = keyof typeof listSections;

export type ValidationResult = { ok: true; os: ValidOs } | { ok: false; problems: DefinitionProblem[] };

export function validateOs(definition: unknown): ValidationResult {
  const problems: DefinitionProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  if (!definition || typeof definition !== 'object' || Array.isArray(definition)) {
    return { ok: false, problems: [{ path: '(root)', message: 'expected the object returned by defineOs({...})' }] };
  }
  const raw = definition as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!(key in sections)) add(key, `unknown section; expected one of ${Object.keys(sections).join(', ')}`);
  }

  const parsed: Partial<Record<Section, unknown>> = {};
  for (const [key, schema] of Object.entries(sections) as [Section, z.ZodType][]) {
    const value = raw[key];
    const itemSchema = listSections[key as ListSection];
    if (itemSchema && Array.isArray(value)) {
      // Item by item, so one bad person does not hide every reference to the good ones.
      const items: unknown[] = [];
      value.forEach((item, i) => {
        const result = itemSchema.safeParse(item);
        if (result.success) items.push(result.data);
        else for (const issue of result.error.issues) add(formatPath(raw, [key, i, ...issue.path]), issueMessage(issue));
      });
      parsed[key] = items;
      continue;
    }
    const result = schema.safeParse(value);
    if (result.success) {
      parsed[key] = result.data;
    } else {
      for (const issue of result.error.issues) add(formatPath(raw, [key, ...issue.path]), issueMessage(issue));
    }
  }

  const people = (parsed.people as Person[] | undefined) ?? [];
  const tools = (parsed.tools as Tool[] | undefined) ?? [];
  const agents = (parsed.agents as Agent[] | undefined) ?? [];
  const knowledge = parsed.knowledge as KnowledgeConfig | undefined;
  const rules = parsed.rights as DecisionRule[] | undefined;
  const workflows = (parsed.workflows as Workflow[] | undefined) ?? [];

  for (const key of Object.keys(listSections)) duplicates(key, rawItems(raw[key]), add);
  if (knowledge) duplicates('knowledge.namespaces', knowledge.namespaces, add);
  const emails = new Map<string, string>();
  for (const p of people) {
    const other = emails.get(p.email.toLowerCase());
    if (other) add(`people.${p.id}.email`, `"${p.email}" is also the email of ${other}`);
    emails.set(p.email.toLowerCase(), p.id);
  }

  const toolIds = new Set(tools.map((t) => t.id));
  toolSecretProblems(tools, add);
  const agentById = new Map(agents.map((a) => [a.id, a]));
  const namespaces = new Set(knowledge?.namespaces.map((n) => n.id) ?? []);
  const roles = new Set(people.flatMap((p) => p.roles));
  const personIds = new Set(people.map((p) => p.id));

  for (const agent of agents) {
    agent.tools.forEach((t, i) => {
      if (!toolIds.has(t)) add(`agents.${agent.id}.tools[${i}]`, `unknown tool "${t}"${suggest(t, toolIds)}`);
    });
    if (new Set(agent.tools).size !== agent.tools.length) add(`agents.${agent.id}.tools`, 'a tool is listed twice');
    if (knowledge) {
      agent.knowledge.forEach((n, i) => {
        if (!namespaces.has(n)) add(`agents.${agent.id}.knowledge[${i}]`, `unknown knowledge namespace "${n}"${suggest(n, namespaces)}`);
      });
    }
  }

  if (rules && parsed.people && parsed.tools && parsed.agents) {
    for (const p of validateRules(rules, {
      people,
      tools,
      agents,
      workflows: workflows.map((w) => w.id),
      facts: (parsed.facts as Record<string, FactDefinition> | undefined) ?? {},
      lists: (parsed.lists as Lists | undefined) ?? {},
    }))
      add(`rights${p.path ? `.${p.path}` : ''}`, p.message);
    for (const rule of rules) {
      if (rule.agent === undefined || rule.tool === undefined || rule.outcome === 'deny') continue;
      const ruleAgents = agents.filter((a) => matchesGlob(rule.agent!, a.id));
      const ruleTools = tools.filter((t) => matchesGlob(rule.tool!, t.id));
      for (const agent of ruleAgents) {
        if (ruleTools.length > 0 && !ruleTools.some((t) => agent.tools.includes(t.id))) {
          add(
            `rights.${rule.id}.agent`,
            `agent "${agent.id}" is not allowed to use ${ruleTools.map((t) => `"${t.id}"`).join(', ')} (not in its tools), so this rule can never apply to it`,
          );
        }
      }
    }
  }

  const resolveApprovers = (path: string, approvers: readonly string[], quorum: number | undefined, field = 'approvers') => {
    const { ids, problems } = resolveApproverList(approvers, people);
    for (const p of problems) {
      if (p.kind === 'role') add(`${path}.${field}[${p.index}]`, `no person holds the role "${p.name}"${suggest(p.name, roles)}`);
      else add(`${path}.${field}[${p.index}]`, `unknown person "${p.name}"${suggest(p.name, personIds)} (use role:<role> for a role)`);
    }
    if (quorum !== undefined && ids.length > 0 && quorum > ids.length) {
      add(`${path}.quorum`, `a quorum of ${quorum} cannot be reached: the approvers are ${ids.length} ${ids.length === 1 ? 'person' : 'people'}`);
    }
  };

  for (const workflow of workflows) {
    const base = `workflows.${workflow.id}`;
    workflow.triggers.forEach((trigger, i) => {
      const path = `${base}.triggers[${i}]`;
      if (trigger.kind === 'event') {
        for (const message of validateEventPattern(trigger.pattern)) add(`${path}.pattern`, message);
      } else if (trigger.kind === 'schedule') {
        try {
          parseScheduleExpression(trigger.expression);
        } catch (error) {
          add(`${path}.expression`, (error as Error).message);
        }
      }
    });

    const allSteps = flatten(workflow.steps);
    const stepIds = new Set<string>();
    for (const { step, path } of allSteps) {
      if (stepIds.has(step.id)) add(`${base}.${path}`, `duplicate step id "${step.id}" (step ids name states and results, so they are unique in a workflow)`);
      stepIds.add(step.id);
    }
    for (const { step, path, inMap } of allSteps) {
      const at = `${base}.${path}`;
      checkStep(step, at, inMap);
    }
    checkScopes(workflow.steps, `${base}.steps`);

    function checkScopes(steps: readonly Step[], path: string) {
      const ids = new Set(steps.map((s) => s.id));
      const target = (where: string, id: string | undefined) => {
        if (id !== undefined && !ids.has(id)) {
          add(where, stepIds.has(id) ? `"${id}" is in another branch; a step can only go to steps of its own list` : `unknown step "${id}"${suggest(id, ids)}`);
        }
      };
      for (const step of steps) {
        const at = `${path}.${step.id}`;
        target(`${at}.next`, step.next);
        if ('catch' in step) step.catch?.forEach((c, i) => target(`${at}.catch[${i}].next`, c.next));
        if (step.kind === 'choice') {
          step.choices.forEach((c, i) => target(`${at}.choices[${i}].next`, c.next));
          target(`${at}.otherwise`, step.otherwise);
        }
        if (step.kind === 'tool') target(`${at}.onRefused`, step.onRefused);
        if (step.kind === 'approval') target(`${at}.onReject`, step.onReject);
        if ((step.kind === 'succeed' || step.kind === 'fail') && step.next !== undefined) add(`${at}.next`, `a ${step.kind} step ends the run; it has no next`);
        if (step.kind === 'parallel') step.branches.forEach((b, i) => checkScopes(b, `${at}.branches[${i}]`));
        if (step.kind === 'map') checkScopes(step.steps, `${at}.steps`);
      }
      const flow = analyseFlow(steps);
      for (const id of flow.unreachable) add(`${path}.${id}`, 'unreachable: no step leads here');
      if (flow.trapped.length)
        add(`${path}.${flow.trapped[0]}`, `loop without an exit: ${flow.trapped.join(' → ')} never reach(es) the end, a succeed or a fail step`);
    }

    function checkPath(where: string, path: string, inMap: boolean) {
      const [head, second] = path.split(/[.[]/);
      if ((head === 'item' || head === 'index') && !inMap) add(where, `"${head}" exists only inside a map step`);
      if (head === 'steps' && second !== undefined && !stepIds.has(second)) add(where, `unknown step "${second}" in path "${path}"${suggest(second, stepIds)}`);
    }

    function checkTemplate(where: string, template: Template | undefined, inMap: boolean, inArray = false) {
      if (template === null || typeof template !== 'object') return;
      if (Array.isArray(template)) {
        template.forEach((t, i) => checkTemplate(`${where}[${i}]`, t, inMap, true));
        return;
      }
      if ('$ref' in template && typeof template.$ref === 'string') {
        if (inArray) add(where, 'a reference cannot stand inside an array (Step Functions cannot template array items); put it in an object');
        checkPath(where, template.$ref, inMap);
        return;
      }
      for (const [k, v] of Object.entries(template)) checkTemplate(`${where}.${k}`, v as Template, inMap);
    }

    function checkCondition(where: string, condition: Condition, inMap: boolean) {
      if ('and' in condition) condition.and.forEach((c, i) => checkCondition(`${where}.and[${i}]`, c, inMap));
      else if ('or' in condition) condition.or.forEach((c, i) => checkCondition(`${where}.or[${i}]`, c, inMap));
      else if ('not' in condition) checkCondition(`${where}.not`, condition.not, inMap);
      else checkPath(`${where}.path`, condition.path, inMap);
    }

    function checkDuration(where: string, value: string) {
      try {
        parseDuration(value);
      } catch (error) {
        add(where, (error as Error).message);
      }
    }

    function checkStep(step: Step, at: string, inMap: boolean) {
      switch (step.kind) {
        case 'agent':
          if (!agentById.has(step.agent)) add(`${at}.agent`, `unknown agent "${step.agent}"${suggest(step.agent, new Set(agentById.keys()))}`);
          checkTemplate(`${at}.input`, step.input, inMap);
          break;
        case 'tool':
          if (!toolIds.has(step.tool)) add(`${at}.tool`, `unknown tool "${step.tool}"${suggest(step.tool, toolIds)}`);
          checkTemplate(`${at}.input`, step.input, inMap);
          break;
        case 'approval':
          resolveApprovers(at, step.approvers, step.quorum);
          checkDuration(`${at}.timeout`, step.timeout);
          if (step.onTimeout !== 'reject') {
            resolveApprovers(`${at}.onTimeout`, step.onTimeout.escalateTo, step.onTimeout.quorum, 'escalateTo');
            checkDuration(`${at}.onTimeout.timeout`, step.onTimeout.timeout);
          }
          checkTemplate(`${at}.details`, step.details, inMap);
          break;
        case 'choice':
          step.choices.forEach((c, i) => checkCondition(`${at}.choices[${i}].when`, c.when, inMap));
          break;
        case 'map':
          checkPath(`${at}.items`, step.items, inMap);
          break;
        case 'wait':
          if ((step.seconds === undefined) === (step.until === undefined)) add(at, 'a wait step needs exactly one of seconds or until');
          if (step.until !== undefined) checkPath(`${at}.until`, step.until, inMap);
          break;
        case 'emit':
          if (step.detailType.startsWith('aios.')) add(`${at}.detailType`, 'detail types starting with "aios." are reserved for the system\'s own events');
          checkTemplate(`${at}.detail`, step.detail, inMap);
          break;
        default:
          break;
      }
    }
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    os: {
      name: parsed.name as string,
      people,
      tools,
      agents,
      knowledge: knowledge!,
      recordingsDir: parsed.recordingsDir as string,
      scenariosDir: parsed.scenariosDir as string,
      lists: (parsed.lists as Lists | undefined) ?? {},
      facts: (parsed.facts as Record<string, FactDefinition> | undefined) ?? {},
      rules: rules!,
      workflows,
      prices: (parsed.prices as ValidOs['prices'] | undefined) ?? {},
    },
  };
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `required (${issue.expected})`;
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_union' && 'discriminator' in issue) return issue.message;
  return issue.message;
}

/** Items of a raw list that have a string id (for duplicate checks, valid or not). */
function rawItems(value: unknown): { id: string }[] {
  if (!Array.isArray(value)) return [];
  return value.map((v: unknown) => (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }) : { id: '' }));
}

function duplicates(path: string, items: readonly { id: string }[], add: (path: string, message: string) => void): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (item.id !== '' && seen.has(item.id)) add(`${path}[${i}].id`, `duplicate id "${item.id}"`);
    seen.add(item.id);
  });
}

interface PlacedStep {
  step: Step;
  path: string;
  inMap: boolean;
}

/** Every step of a workflow, nested ones included, with its path. */
export function flatten(steps: readonly Step[], path = 'steps', inMap = false): PlacedStep[] {
  return steps.flatMap((step) => {
    const here = `${path}.${step.id}`;
    const nested =
      step.kind === 'parallel'
        ? step.branches.flatMap((b, i) => flatten(b, `${here}.branches[${i}]`, inMap))
        : step.kind === 'map'
          ? flatten(step.steps, `${here}.steps`, true)
          : [];
    return [{ step, path: here, inMap }, ...nested];
  });
}

/** ` (did you mean "x"?)` for a near miss, else ''. */
function suggest(value: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(value, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(value.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/**
 * Tools may share a secret (two tools on one API); on AWS it is one secret, so they must agree where it lives.
 */
function toolSecretProblems(tools: readonly Tool[], add: (path: string, message: string) => void): void {
  const seen = new Map<string, { toolId: string; awsSecretName: string | undefined }>();
  for (const tool of tools) {
    (tool.secrets ?? []).forEach((secret, i) => {
      const first = seen.get(secret.name);
      if (first && first.awsSecretName !== secret.awsSecretName) {
        add(
          `tools.${tool.id}.secrets[${i}]`,
          `"${secret.name}" is also declared by ${first.toolId} with ${first.awsSecretName ? `awsSecretName "${first.awsSecretName}"` : 'no awsSecretName'}: one secret, one place`,
        );
      }
      if (!first) seen.set(secret.name, { toolId: tool.id, awsSecretName: secret.awsSecretName });
    });
  }
}
