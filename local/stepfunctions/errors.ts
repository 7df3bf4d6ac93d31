/**
 * Step Functions API errors, named as AWS names them so @aws-sdk/client-sfn
 * raises the matching exception class.
 */
import { AwsServiceError } from '../server/aws-json-service';

const make = (type: string) => (message: string) => new AwsServiceError(type, message);

export const sfnErrors = {
  executionDoesNotExist: make('ExecutionDoesNotExist'),
  executionAlreadyExists: make('ExecutionAlreadyExists'),
  executionNotRedrivable: make('ExecutionNotRedrivable'),
  stateMachineDoesNotExist: make('StateMachineDoesNotExist'),
  stateMachineAlreadyExists: make('StateMachineAlreadyExists'),
  invalidArn: make('InvalidArn'),
  invalidName: make('InvalidName'),
  invalidToken: make('InvalidToken'),
  invalidOutput: make('InvalidOutput'),
  invalidDefinition: make('InvalidDefinition'),
  invalidExecutionInput: make('InvalidExecutionInput'),
  taskDoesNotExist: make('TaskDoesNotExist'),
  taskTimedOut: make('TaskTimedOut'),
  validation: make('ValidationException'),
  unknownOperation: make('UnknownOperationException'),
};
