import { type KeyObject, sign, verify } from 'node:crypto';

/** A JWT's protected header and payload, as JSON objects. */
export interface JwtParts {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
}

const HASHES = { ES256: 'sha256', ES384: 'sha384' } as const;

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const object = (encoded: string | undefined): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded ?? '', 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Signs a compact JWT with an EC key (ES256 on P-256, ES384 on P-384; the signature is r||s, as
 * JWS requires). `header.alg` is set from `alg`.
 *
 * @example
 * ```ts
 * signJwt('ES384', privateKey, { kid }, { sub: 'user-1' });
 * ```
 */
export const signJwt = (
  alg: keyof typeof HASHES,
  privateKey: KeyObject,
  header: Readonly<Record<string, unknown>>,
  payload: Readonly<Record<string, unknown>>,
): string => {
  const unsigned = `${part({ ...header, alg })}.${part(payload)}`;
  const signature = sign(HASHES[alg], Buffer.from(unsigned), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${unsigned}.${signature.toString('base64url')}`;
};

/**
 * The header and payload of a compact JWT whose `alg` is `alg` and whose signature `publicKey`
 * verifies; undefined for anything else (malformed, another algorithm, another key, altered).
 * Claims such as `exp` are the caller's to check.
 *
 * @example
 * ```ts
 * const parts = verifiedJwt('ES256', publicKey, token);
 * if (parts === undefined) refuse();
 * ```
 */
export const verifiedJwt = (
  alg: keyof typeof HASHES,
  publicKey: KeyObject,
  token: string,
): JwtParts | undefined => {
  const [head, body, signature, ...rest] = token.split('.');
  if (signature === undefined || rest.length > 0) return undefined;
  const header = object(head);
  const payload = object(body);
  if (header === undefined || payload === undefined || header['alg'] !== alg) return undefined;
  const valid = verify(
    HASHES[alg],
    Buffer.from(`${head}.${body}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  return valid ? { header, payload } : undefined;
};
