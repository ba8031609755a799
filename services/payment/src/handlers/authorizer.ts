import { identityAuthorizer } from '@shop/shared';

/** Payment's API authorizer: a valid Cognito ID token, or 401. */
export const handler = identityAuthorizer();
