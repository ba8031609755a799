export { type LambdaContextProps, lambdaContext } from './lambdaContext.js';
export {
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
} from './startLambdaEndpoint.js';
