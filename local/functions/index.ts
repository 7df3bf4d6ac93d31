/** Local Lambda: the function registry and its loaders. */
export { FunctionRegistry, lambdaFailure, type LambdaHandler, type InvokeResult, type FunctionFailure } from './registry';
export { registerFunctionModule, registerProjectFunctions } from './module-loader';
export { lambdaContext, type LocalLambdaContext, type TaskIdentity } from './lambda-context';
export { FunctionNotFoundError, FunctionModuleError } from './errors';
