export { createApp } from './createApp.js';
export { IDENTITY_PARAMETERS, IdentityStack } from './IdentityStack.js';
export {
  PLATFORM_AZ_COUNT,
  PLATFORM_PARAMETERS,
  PlatformStack,
  type PlatformStackProps,
  queryServiceParameters,
  UNUSED_ACCESS_AGE_DAYS,
  VPC_ENDPOINTS,
} from './PlatformStack.js';
