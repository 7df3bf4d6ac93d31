/**
 * The built-in knowledge tools. Each lives in its own module so a tool
 * function's bundle carries only its own tool (a search function has no
 * remember schema, and the other way round).
 */
export { knowledgeSearch } from './knowledge-search';
export { knowledgeRemember } from './knowledge-remember';
