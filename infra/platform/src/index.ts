export { createApp } from './createApp.js';
export {
  IDENTITY_PARAMETERS,
  IdentityStack,
  STAFF_MFA_CLAIM_HANDLER,
  STAFF_SECOND_FACTOR_CLAIM,
} from './IdentityStack.js';
export {
  PLATFORM_AZ_COUNT,
  PLATFORM_PARAMETERS,
  PlatformStack,
  type PlatformStackProps,
  queryServiceParameters,
  UNUSED_ACCESS_AGE_DAYS,
  VPC_ENDPOINTS,
} from './PlatformStack.js';
export {
  STAFF_ACCESS_POLICY_FILE,
  STAFF_CONSOLE_SIGN_IN,
  STAFF_TRUST_CONTEXT,
  StaffAccess,
  type StaffAccessProps,
  staffAccessPolicy,
} from './StaffAccess.js';
