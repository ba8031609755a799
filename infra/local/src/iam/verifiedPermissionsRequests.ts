import * as z from 'zod';
import {
  type ApiCall,
  authorizedOn,
  type Derivation,
  parseInput,
  type Scope,
  targetOperation,
  unknownOperation,
  unreadable,
} from './iamRequest.js';

const PolicyStoreInputSchema = z.looseObject({ policyStoreId: z.string().min(1) });
const UNSCOPED = new Set(['CreatePolicyStore', 'ListPolicyStores']);

/**
 * The authorization AWS makes for a Verified Permissions call (JSON 1.0 protocol):
 * `verifiedpermissions:<Operation>` on `arn:aws:verifiedpermissions::<account>:policy-store/<id>`
 * (the id is the body's camelCase `policyStoreId`; policy store ARNs have no region), `*` for
 * CreatePolicyStore and ListPolicyStores.
 *
 * @example
 * ```ts
 * verifiedPermissionsRequests(call, scope).requests;
 * // [{ action: 'verifiedpermissions:IsAuthorized', resource: 'arn:aws:verifiedpermissions::000000000000:policy-store/PS1', context: {} }]
 * ```
 */
export const verifiedPermissionsRequests = (call: ApiCall, scope: Scope): Derivation => {
  const operation = targetOperation(call, 'VerifiedPermissions');
  if (operation === undefined) {
    return unknownOperation(call);
  }
  const action = `verifiedpermissions:${operation}`;
  if (UNSCOPED.has(operation)) return authorizedOn(operation, action, '*');
  const input = parseInput(PolicyStoreInputSchema, call.body);
  if (!input.success) return unreadable('Validation', input.message);
  const resource = `arn:aws:verifiedpermissions::${scope.account}:policy-store/${input.data.policyStoreId}`;
  return authorizedOn(operation, action, resource);
};
