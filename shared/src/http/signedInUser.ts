import type { CedarEntity } from '@shop/contracts';
import { userEntity } from '../authorization/Authorizer.js';

/**
 * Who a verified ID token says the caller is. Apart from the token verifiers, so that a function
 * that is handed a verified user (an API behind its authorizer) does not bundle them.
 */
export interface SignedInUser {
  /** The token's `sub`: the customer id. */
  readonly sub: string;
  readonly username: string;
  /** `cognito:groups`. */
  readonly groups: readonly string[];
}

/**
 * A signed-in user as a Cedar principal and the entity that carries their groups.
 *
 * @example
 * ```ts
 * principalOf({ sub: 'c-1', username: 'ada', groups: ['RegularCustomers'] }); // Shop::User c-1 in its groups
 * ```
 */
export const principalOf = (user: SignedInUser): CedarEntity => userEntity(user.sub, user.groups);
