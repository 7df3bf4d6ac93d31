/** The typed DSL for Kestrel's workflows and rights: ids of people, tools and agents are checked by TypeScript. */
import { defineCatalog } from '../../shared/definition';
import { research } from './agents/research';
import { triage } from './agents/triage';
import { people } from './people';
import { tools } from './tools';

export const aios = defineCatalog({ people, tools, agents: [triage, research] as const });
