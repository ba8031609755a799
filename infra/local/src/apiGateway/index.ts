export {
  type ApiGateway,
  type ApiGatewayProps,
  type RestApiDefinition,
  type RunningRestApi,
  startApiGateway,
} from './startApiGateway.js';
