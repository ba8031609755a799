export {
  PLATFORM_PARAMETERS,
  PlatformStack,
  type PlatformStackProps,
  serviceRolePath,
} from './PlatformStack.js';
