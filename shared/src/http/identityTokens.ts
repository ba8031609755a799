import type { CedarEntity } from '@shop/contracts';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { userEntity } from '../authorization/Authorizer.js';

/** Who a verified ID token says the caller is. */
export interface SignedInUser {
  /** The token's `sub`: the customer id. */
  readonly sub: string;
  readonly username: string;
  /** `cognito:groups`. */
  readonly groups: readonly string[];
}

export interface IdentityTokenConfig {
  readonly userPoolId: string;
  readonly clientId: string;
  /**
   * A non-Cognito issuer (the local user pool, served over http://); its JWKS is at
   * `<issuer>/.well-known/jwks.json`. @default Cognito's, from the pool id
   */
  readonly issuer?: string | undefined;
}

const userOf = (payload: Readonly<Record<string, unknown>>): SignedInUser => ({
  sub: String(payload['sub']),
  username: String(payload['cognito:username'] ?? payload['sub']),
  groups: Array.isArray(payload['cognito:groups']) ? payload['cognito:groups'].map(String) : [],
});

/**
 * Verifies Cognito ID tokens with aws-jwt-verify: signature against the pool's JWKS, `iss`,
 * `aud` (the app client), `token_use: id`, expiry. In AWS it is `CognitoJwtVerifier`; against
 * the local user pool, whose issuer is not Cognito's, `JwtVerifier` with the same checks and a
 * JWKS fetcher that accepts http:// (the default one refuses it). Resolves with all the token's
 * claims (`cognito:groups`, `email`, ...), for a caller that decides by more than the groups.
 *
 * @throws the verifier's error (expired, wrong audience, bad signature, ...) when the token is not valid.
 * @example
 * ```ts
 * const verify = identityTokenClaimsVerifier({ userPoolId, clientId, issuer });
 * const claims = await verify(token); // { sub, 'cognito:groups': ['Operators'], email, ... }
 * ```
 */
export const identityTokenClaimsVerifier = (
  config: IdentityTokenConfig,
): ((token: string) => Promise<Readonly<Record<string, unknown>>>) => {
  if (config.issuer === undefined) {
    const cognito = CognitoJwtVerifier.create({
      userPoolId: config.userPoolId,
      tokenUse: 'id',
      clientId: config.clientId,
    });
    return (token) => cognito.verify(token);
  }
  const local = JwtVerifier.create(
    {
      issuer: config.issuer,
      audience: config.clientId,
      jwksUri: `${config.issuer}/.well-known/jwks.json`,
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

/**
 * Verifies Cognito ID tokens (as `identityTokenClaimsVerifier`) and says who they sign in.
 *
 * @throws the verifier's error (expired, wrong audience, bad signature, ...) when the token is not valid.
 * @example
 * ```ts
 * const verify = identityTokenVerifier({ userPoolId, clientId });
 * const user = await verify(token); // { sub, username, groups }
 * ```
 */
export const identityTokenVerifier = (
  config: IdentityTokenConfig,
): ((token: string) => Promise<SignedInUser>) => {
  const claimsOf = identityTokenClaimsVerifier(config);
  return async (token) => userOf(await claimsOf(token));
};

/** A signed-in user as a Cedar principal and the entity that carries their groups. */
export const principalOf = (user: SignedInUser): CedarEntity => userEntity(user.sub, user.groups);
