export {
  type FunctionAccess,
  ServiceStack,
  type ServiceStackProps,
  VPC_ACCESS_ACTIONS,
} from './ServiceStack.js';
