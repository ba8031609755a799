import { VerifiedPermissionsClient } from '@aws-sdk/client-verifiedpermissions';

let client: VerifiedPermissionsClient | undefined;

/**
 * The Verified Permissions client of a function, created once per execution environment
 * (endpoint from `AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS` on the local cloud).
 *
 * @example
 * ```ts
 * const authorizer = new VerifiedPermissionsAuthorizer(verifiedPermissionsClient(), policyStoreId);
 * ```
 */
export const verifiedPermissionsClient = (): VerifiedPermissionsClient => {
  client ??= new VerifiedPermissionsClient({});
  return client;
};
