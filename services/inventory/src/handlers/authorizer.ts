import { identityAuthorizer } from '@shop/shared';

/** Inventory's API authorizer: a valid Cognito ID token, or 401. */
export const handler = identityAuthorizer();
