export { ConsumerQueue, type ConsumerQueueProps } from './ConsumerQueue.js';
export { FunctionSchedule, type FunctionScheduleProps } from './FunctionSchedule.js';
export { IdempotencyTable, type IdempotencyTableProps } from './IdempotencyTable.js';
export { OutboxRelay, type OutboxRelayProps } from './OutboxRelay.js';
export { QueryCallers, VPC_ACCESS_ACTIONS } from './QueryCallers.js';
export { QueryService, type QueryServiceProps } from './QueryService.js';
export {
  FUNCTION_BUNDLING,
  ServiceFunction,
  type ServiceFunctionProps,
} from './ServiceFunction.js';
export { ServicePolicyStore, type ServicePolicyStoreProps } from './ServicePolicyStore.js';
export { ServiceRestApi, type ServiceRestApiProps } from './ServiceRestApi.js';
export { ServiceStack, type ServiceStackProps } from './ServiceStack.js';
export { ServiceStaffRoute, type ServiceStaffRouteProps } from './ServiceStaffRoute.js';
export { ServiceTable, type ServiceTableProps } from './ServiceTable.js';
