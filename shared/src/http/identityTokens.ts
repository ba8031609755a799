import { CUSTOMER_GROUPS, STAFF_GROUPS } from '@shop/contracts/names';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { decomposeUnverifiedJwt } from 'aws-jwt-verify/jwt';
import type { SignedInUser } from './signedInUser.js';

/** One user pool whose ID tokens are accepted. */
export interface UserPoolConfig {
  readonly userPoolId: string;
  /** The app client its tokens name as their audience, or the app clients, any of which may. */
  readonly clientId: string | readonly string[];
  /**
   * A non-Cognito issuer (the local user pool, served over http://); its JWKS is at
   * `<issuer>/.well-known/jwks.json`. @default Cognito's, from the pool id
   */
  readonly issuer?: string | undefined;
}

/** The two user pools whose ID tokens the services accept (ADR 0019). */
export interface IdentityTokenConfig {
  /** The customer pool: customers sign themselves up, MFA is their choice. */
  readonly customers: UserPoolConfig;
  /** The staff pool: every sign-in needs a TOTP code; the only source of the staff groups. */
  readonly staff: UserPoolConfig;
}

/** A token whose claims its pool does not vouch for. */
export class UntrustedTokenError extends Error {
  constructor(detail: string) {
    super(`Untrusted ID token: ${detail}`);
    this.name = 'UntrustedTokenError';
  }
}

type VerifyPayload = (token: string) => Promise<Readonly<Record<string, unknown>>>;

/**
 * The checks of one pool's ID tokens: signature against the pool's JWKS, `iss`, `aud` (its app
 * client), `token_use: id`, expiry. In AWS it is `CognitoJwtVerifier`; against the local user
 * pool, whose issuer is not Cognito's, `JwtVerifier` with the same checks and a JWKS fetcher that
 * accepts http:// (the default one refuses it).
 */
const payloadVerifier = (pool: UserPoolConfig): VerifyPayload => {
  const clientIds = typeof pool.clientId === 'string' ? pool.clientId : [...pool.clientId];
  if (pool.issuer === undefined) {
    const cognito = CognitoJwtVerifier.create({
      userPoolId: pool.userPoolId,
      tokenUse: 'id',
      clientId: clientIds,
    });
    return (token) => cognito.verify(token);
  }
  const local = JwtVerifier.create(
    {
      issuer: pool.issuer,
      audience: clientIds,
      jwksUri: `${pool.issuer}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (payload['token_use'] !== 'id') throw new Error('Not an ID token');
      },
    },
    {
      jwksCache: new SimpleJwksCache({
        fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
      }),
    },
  );
  return (token) => local.verify(token);
};

/** A pool, how its tokens are verified, and the groups it alone may vouch for. */
interface TrustedPool {
  readonly userPoolId: string;
  readonly verify: VerifyPayload;
  readonly groups: readonly string[];
}

const groupsOf = (payload: Readonly<Record<string, unknown>>): readonly string[] =>
  Array.isArray(payload['cognito:groups']) ? payload['cognito:groups'].map(String) : [];

/** The pool whose id ends the token's (not yet verified) `iss`, as both Cognito and the local pool name it. */
const issuingPool = (pools: readonly TrustedPool[], token: string): TrustedPool => {
  const issuer = decomposeUnverifiedJwt(token).payload.iss ?? '';
  const pool = pools.find((candidate) => issuer.endsWith(`/${candidate.userPoolId}`));
  if (pool === undefined) throw new UntrustedTokenError(`no trusted pool issues ${issuer}`);
  return pool;
};

/**
 * Verifies an ID token against the user pool that issued it, the customer pool or the staff
 * pool, chosen by its `iss` and each with its own JWKS and app client (see `payloadVerifier` for
 * the checks). Each pool vouches only for its own groups: the staff groups (`Admins`,
 * `Operators`) only from the staff pool, whose every sign-in needs a TOTP code, and the customer
 * groups only from the customer pool. A token that names a group its pool does not hold is
 * refused (`UntrustedTokenError`): a customer-pool token claiming `Admins` is not a customer with
 * extra rights, it is a token nobody should hold.
 *
 * @throws the verifier's error (expired, wrong audience, bad signature, ...) when the token is
 * not valid, and {@link UntrustedTokenError} when no trusted pool issued it or it names a group
 * of the other pool.
 * @example
 * ```ts
 * const verify = identityTokenVerifier({
 *   customers: { userPoolId, clientId },
 *   staff: { userPoolId: staffUserPoolId, clientId: staffClientId },
 * });
 * const user = await verify(token); // { sub, username, groups }
 * ```
 */
export const identityTokenVerifier = (
  config: IdentityTokenConfig,
): ((token: string) => Promise<SignedInUser>) => {
  if (config.customers.userPoolId === config.staff.userPoolId) {
    throw new Error('The customer and the staff user pools must be two pools');
  }
  return trustedPoolsVerifier([
    { ...config.customers, groups: CUSTOMER_GROUPS },
    { ...config.staff, groups: STAFF_GROUPS },
  ]);
};

/**
 * Verifies an ID token of the staff pool alone (as `identityTokenVerifier` does for both): the
 * way in of the staff functions, which serve nobody else.
 *
 * @throws as `identityTokenVerifier`; a customer-pool token is an {@link UntrustedTokenError}.
 * @example
 * ```ts
 * const verify = staffTokenVerifier({ userPoolId: staffUserPoolId, clientId: staffClientId });
 * const user = await verify(token); // { sub, username, groups: ['Operators'] }
 * ```
 */
export const staffTokenVerifier = (
  staff: UserPoolConfig,
): ((token: string) => Promise<SignedInUser>) =>
  trustedPoolsVerifier([{ ...staff, groups: STAFF_GROUPS }]);

/**
 * Verifies one pool's ID tokens (the checks of `identityTokenVerifier`, without the groups rule)
 * and resolves with all their claims (`cognito:groups`, `email`, ...), for a caller that passes
 * the claims on, as Verified Access's OIDC trust provider does.
 *
 * @throws the verifier's error (expired, wrong audience, bad signature, ...) when the token is not valid.
 * @example
 * ```ts
 * const verify = identityTokenClaimsVerifier({ userPoolId, clientId, issuer });
 * const claims = await verify(token); // { sub, 'cognito:groups': ['Operators'], email, ... }
 * ```
 */
export const identityTokenClaimsVerifier = (pool: UserPoolConfig): VerifyPayload =>
  payloadVerifier(pool);

/** Verifies a token against the trusted pool that issued it, which must hold its groups. */
const trustedPoolsVerifier = (
  trusted: readonly (UserPoolConfig & { readonly groups: readonly string[] })[],
): ((token: string) => Promise<SignedInUser>) => {
  const pools: readonly TrustedPool[] = trusted.map((pool) => ({
    userPoolId: pool.userPoolId,
    verify: payloadVerifier(pool),
    groups: pool.groups,
  }));
  return async (token) => {
    const pool = issuingPool(pools, token);
    const payload = await pool.verify(token);
    const groups = groupsOf(payload);
    const foreign = groups.filter((group) => !pool.groups.includes(group));
    if (foreign.length > 0) {
      throw new UntrustedTokenError(`${pool.userPoolId} does not hold ${foreign.join(', ')}`);
    }
    return {
      sub: String(payload['sub']),
      username: String(payload['cognito:username'] ?? payload['sub']),
      groups,
    };
  };
};
