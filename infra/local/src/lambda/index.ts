export { type LambdaContextProps, lambdaContext } from './lambdaContext.js';
export {
  type InvocationOutcome,
  SqsEventSourceMapping,
  type SqsEventSourceMappingProps,
  type SqsHandler,
  succeededRecords,
} from './SqsEventSourceMapping.js';
