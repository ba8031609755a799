export {
  exitReason,
  type RuntimeExit,
  runtimeExitError,
  taskTimedOut,
} from './functionErrors.js';
export { type LambdaContextProps, lambdaContext } from './lambdaContext.js';
export { type LambdaHandler, localFunction, runHandler } from './localFunction.js';
export {
  type Backoff,
  type InvocationOutcome,
  MessageDeletionError,
  SqsEventSourceMapping,
  type SqsEventSourceMappingProps,
  type SqsHandler,
  succeededRecords,
} from './SqsEventSourceMapping.js';
export {
  AsyncInvocationError,
  type InvokeFunction,
  type InvokeOutcome,
  type StartLambdaEndpointProps,
  startLambdaEndpoint,
  type ThrottleReason,
} from './startLambdaEndpoint.js';
