export {
  type ApiGateway,
  type ApiGatewayProps,
  type AuthorizationLogEntry,
  type RestApiDefinition,
  type RunningRestApi,
  startApiGateway,
} from './startApiGateway.js';
