import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { UserContextRejectedError } from '../errors.js';

/** The header Verified Access adds to every request it forwards: the user's claims, signed. */
export const USER_CONTEXT_HEADER = 'x-amzn-ava-user-context';

/** Who Verified Access let through, from its signed user context. */
export interface VerifiedAccessUser {
  readonly sub: string;
  readonly email: string | undefined;
  /** The ID token's `cognito:groups`, as the OIDC trust provider received them. */
  readonly groups: readonly string[];
  /** Every claim of the header's payload, `additional_user_context` included. */
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface UserContextConfig {
  /**
   * Where Verified Access serves its public keys, each as PEM at `<publicKeysUrl>/<kid>`.
   * @default AWS's, in the signer's region: `https://public-keys.prod.verified-access.<region>.amazonaws.com`
   */
  readonly publicKeysUrl?: string;
  /** The Verified Access instance's ARN, which the header's `signer` must name. */
  readonly signer: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

const KID = /^[A-Za-z0-9-]{1,64}$/;

const reject = (why: string): never => {
  throw new UserContextRejectedError(`Invalid ${USER_CONTEXT_HEADER}: ${why}`);
};

const json = (part: string | undefined): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {}
  return reject('not a JWT');
};

/** AWS's key endpoint in the region of the instance ARN that signs. */
const awsPublicKeysUrl = (signer: string): string => {
  const region = signer.split(':')[3];
  if (!signer.startsWith('arn:') || region === undefined || region === '') {
    throw new UserContextRejectedError(`${signer} is not a Verified Access instance ARN`);
  }
  return `https://public-keys.prod.verified-access.${region}.amazonaws.com`;
};

const stringArray = (value: unknown): readonly string[] =>
  Array.isArray(value) ? value.map(String) : [];

/**
 * Verifies the `x-amzn-ava-user-context` header as Verified Access documents it: a JWT signed
 * ES384, whose header names the key (`kid`, fetched as PEM from `<publicKeysUrl>/<kid>` and
 * kept), the instance that signed it (`signer`) and its expiry (`exp`, seconds). Anything else
 * is refused: a staff function behind Verified Access trusts no other way in.
 *
 * @throws {UserContextRejectedError} at once when no keys URL is given and the signer is not an
 * instance ARN; per header, when the header is missing, malformed, not ES384, signed
 * by another instance, expired, or its signature does not verify.
 * @example
 * ```ts
 * const verifyUser = userContextVerifier({ publicKeysUrl, signer: instanceArn });
 * const user = await verifyUser(event.headers['x-amzn-ava-user-context']);
 * user.groups; // ['Operators']
 * ```
 */
export const userContextVerifier = (
  config: UserContextConfig,
): ((header: string | undefined) => Promise<VerifiedAccessUser>) => {
  const publicKeysUrl = config.publicKeysUrl ?? awsPublicKeysUrl(config.signer);
  const keys = new Map<string, Promise<KeyObject>>();
  const now = config.now ?? (() => new Date());
  const keyOf = (kid: string) => {
    const known = keys.get(kid);
    if (known !== undefined) return known;
    const fetched = fetch(`${publicKeysUrl}/${kid}`).then(async (response) => {
      if (!response.ok) return reject(`no public key ${kid}`);
      return createPublicKey(await response.text());
    });
    fetched.catch(() => keys.delete(kid));
    keys.set(kid, fetched);
    return fetched;
  };
  return async (header) => {
    const [head, body, signature, ...rest] = (header ?? '').split('.');
    if (signature === undefined || rest.length > 0) return reject('not a JWT');
    const protectedHeader = json(head);
    const { alg, kid, signer, exp } = protectedHeader;
    if (alg !== 'ES384') reject('not ES384');
    if (typeof kid !== 'string' || !KID.test(kid)) return reject('no key id');
    if (signer !== config.signer) reject('signed by another instance');
    if (typeof exp !== 'number' || exp * 1000 <= now().getTime()) reject('expired');
    const signed = verify(
      'sha384',
      Buffer.from(`${head}.${body}`),
      { key: await keyOf(kid), dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    if (!signed) reject('bad signature');
    const claims = json(body);
    const extra = claims['additional_user_context'];
    const idClaims =
      typeof extra === 'object' && extra !== null ? (extra as Record<string, unknown>) : {};
    return {
      sub: String(claims['sub'] ?? reject('no sub')),
      email: typeof claims['email'] === 'string' ? claims['email'] : undefined,
      groups: stringArray(idClaims['cognito:groups']),
      claims,
    };
  };
};
