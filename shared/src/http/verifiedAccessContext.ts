import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** The header Verified Access adds to each request it lets through: the user's claims, signed. */
export const VERIFIED_ACCESS_USER_CONTEXT_HEADER = 'x-amzn-ava-user-context';

/** What a verified `x-amzn-ava-user-context` says of the user. */
export interface VerifiedAccessUser {
  /** The identity provider's subject: the staff user pool's `sub`. */
  readonly sub: string;
  /** Every claim Verified Access passed on from the identity provider. */
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface VerifiedAccessContextConfig {
  /** The Verified Access instance that must have signed the claims (the header's `signer`). */
  readonly instanceArn: string;
  /**
   * Where the PEM public key of a key id is. @default AWS's, in the instance's region:
   * `https://public-keys.prod.verified-access.<region>.amazonaws.com/<key id>`
   */
  readonly publicKeyUrl?: (keyId: string) => string;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** A user context that is not one Verified Access signed and still holds. */
export class VerifiedAccessContextError extends Error {
  constructor(reason: string) {
    super(`Not a valid Verified Access user context: ${reason}`);
    this.name = 'VerifiedAccessContextError';
  }
}

const KEY_ID = /^[A-Za-z0-9-]{1,128}$/;

const jsonPart = (part: string | undefined): Readonly<Record<string, unknown>> => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // answered below
  }
  throw new VerifiedAccessContextError('a part is not a JSON object');
};

const regionOf = (instanceArn: string): string => {
  const region = instanceArn.split(':')[3];
  if (region === undefined || region === '') {
    throw new VerifiedAccessContextError(`${instanceArn} is not an instance ARN`);
  }
  return region;
};

/**
 * Verifies the `x-amzn-ava-user-context` JWT as AWS documents it: ES384 only, the header's
 * `signer` is our Verified Access instance, its `exp` has not passed, and the signature verifies
 * with the public key of the header's `kid` from Verified Access's regional key endpoint (each
 * key fetched once, then kept).
 *
 * @throws {VerifiedAccessContextError} when any of those does not hold, or the key cannot be had.
 * @example
 * ```ts
 * const verify = verifiedAccessContextVerifier({ instanceArn });
 * const { sub } = await verify(headers['x-amzn-ava-user-context']);
 * ```
 */
export const verifiedAccessContextVerifier = (
  config: VerifiedAccessContextConfig,
): ((jwt: string) => Promise<VerifiedAccessUser>) => {
  const region = regionOf(config.instanceArn);
  const publicKeyUrl =
    config.publicKeyUrl ??
    ((keyId: string) =>
      `https://public-keys.prod.verified-access.${region}.amazonaws.com/${keyId}`);
  const now = config.now ?? Date.now;
  const keys = new Map<string, Promise<KeyObject>>();
  const keyOf = (keyId: string): Promise<KeyObject> => {
    const known = keys.get(keyId);
    if (known !== undefined) return known;
    const fetched = (async () => {
      const response = await fetch(publicKeyUrl(keyId));
      if (!response.ok) throw new VerifiedAccessContextError(`no public key ${keyId}`);
      return createPublicKey(await response.text());
    })();
    keys.set(keyId, fetched);
    fetched.catch(() => keys.delete(keyId));
    return fetched;
  };
  return async (jwt) => {
    const [header, payload, signature, ...rest] = jwt.split('.');
    if (rest.length > 0 || signature === undefined) {
      throw new VerifiedAccessContextError('not a signed JWT');
    }
    const head = jsonPart(header);
    if (head['alg'] !== 'ES384') throw new VerifiedAccessContextError('not signed with ES384');
    if (head['signer'] !== config.instanceArn) {
      throw new VerifiedAccessContextError('signed by another instance');
    }
    const expiry = Number(head['exp']);
    if (!Number.isFinite(expiry) || expiry * 1000 <= now()) {
      throw new VerifiedAccessContextError('expired');
    }
    const keyId = head['kid'];
    if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) {
      throw new VerifiedAccessContextError('no valid key id');
    }
    const valid = verify(
      'sha384',
      Buffer.from(`${header}.${payload}`),
      { key: await keyOf(keyId), dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) throw new VerifiedAccessContextError('the signature does not verify');
    const claims = jsonPart(payload);
    const sub = claims['sub'];
    if (typeof sub !== 'string' || sub === '') throw new VerifiedAccessContextError('no subject');
    return { sub, claims };
  };
};
