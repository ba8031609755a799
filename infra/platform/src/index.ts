export { createApp } from './createApp.js';
export { IDENTITY_PARAMETERS, IdentityStack, USER_GROUPS } from './IdentityStack.js';
export {
  PLATFORM_PARAMETERS,
  PlatformStack,
  type PlatformStackProps,
  serviceRolePath,
} from './PlatformStack.js';
