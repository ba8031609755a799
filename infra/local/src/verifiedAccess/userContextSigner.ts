import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { signJwt } from './compactJwt.js';

/** How long Verified Access's signed user context is valid. */
const VALIDITY_SECONDS = 120;

/** Signs the `x-amzn-ava-user-context` header with a key of its own. */
export interface UserContextSigner {
  readonly kid: string;
  /** The public key, as Verified Access serves it by `kid`: SPKI PEM. */
  readonly publicKeyPem: string;
  sign(claims: Readonly<Record<string, unknown>>, now: Date): string;
}

/** Claims of the OIDC UserInfo kind, which Verified Access puts at the top of its user context. */
const USER_INFO = ['sub', 'email', 'email_verified', 'name', 'preferred_username'];

/**
 * The user context Verified Access signs for a request it forwards: the user's information
 * claims at the top, and every claim of the ID token under `additional_user_context`.
 *
 * @example
 * ```ts
 * userContextClaims({ sub: 's', email: 'e', 'cognito:groups': ['Operators'] });
 * // { sub: 's', email: 'e', additional_user_context: { sub: 's', email: 'e', 'cognito:groups': [...] } }
 * ```
 */
export const userContextClaims = (
  idTokenClaims: Readonly<Record<string, unknown>>,
): Record<string, unknown> => ({
  ...Object.fromEntries(
    USER_INFO.filter((c) => c in idTokenClaims).map((c) => [c, idTokenClaims[c]]),
  ),
  additional_user_context: { ...idTokenClaims },
});

/**
 * A new signer of Verified Access's user context, as one instance: an ES384 key (P-384) made
 * for this run, its `kid`, and headers of `{ alg, kid, signer, iss, exp }` (exp: 120 s), as
 * Verified Access documents them.
 *
 * @example
 * ```ts
 * const signer = userContextSigner({ instanceArn, issuer });
 * request.headers['x-amzn-ava-user-context'] = signer.sign(userContextClaims(claims), new Date());
 * ```
 */
export const userContextSigner = (identity: {
  readonly instanceArn: string;
  /** The OIDC trust provider's issuer. */
  readonly issuer: string;
}): UserContextSigner => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const kid = randomUUID();
  return {
    kid,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (claims, now) =>
      signJwt(
        'ES384',
        privateKey,
        {
          kid,
          signer: identity.instanceArn,
          iss: identity.issuer,
          exp: Math.floor(now.getTime() / 1000) + VALIDITY_SECONDS,
        },
        claims,
      ),
  };
};
