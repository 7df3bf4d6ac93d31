export { compileAll, compileWorkflow, CompileError } from './compile-workflow';
export type { AslDocument, AslState } from './asl';
export { functionPlaceholders, lambdaArn, placeholdersIn, substitutePlaceholders, SYSTEM_FUNCTIONS } from './resources';
export { stepTitle } from './state-names';
