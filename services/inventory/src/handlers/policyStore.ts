import { VerifiedPermissionsAuthorizer, verifiedPermissionsClient } from '@shop/shared';
import { config } from './dependencies.js';

/** Every entry point that decides who may do what asks the service's policy store. */
export const authorizer = new VerifiedPermissionsAuthorizer(
  verifiedPermissionsClient(),
  config.policyStoreId,
);
