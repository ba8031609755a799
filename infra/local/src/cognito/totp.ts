import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as Cognito's software tokens use it: SHA-1, 6 digits, a 30-second step. */
const totpOf = (secret: string) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });

/**
 * A new TOTP secret (160 random bits, base32), as `AssociateSoftwareToken` answers one for an
 * authenticator app.
 *
 * @example
 * ```ts
 * const secret = newTotpSecret(); // 'JBSWY3DPEHPK3PXP...'
 * ```
 */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/**
 * The 6-digit code an authenticator app holding `secret` shows at `at`.
 *
 * @example
 * ```ts
 * const code = totpCode(secret); // '492039'
 * ```
 */
export const totpCode = (secret: string, at: Date = new Date()): string =>
  totpOf(secret).generate({ timestamp: at.getTime() });

/**
 * Whether `code` is the code of `secret` at `at`, or of the step just before or after it (the
 * clock skew Cognito accepts).
 *
 * @example
 * ```ts
 * acceptsTotpCode(secret, totpCode(secret), new Date()); // true
 * ```
 */
export const acceptsTotpCode = (secret: string, code: string, at: Date): boolean =>
  totpOf(secret).validate({ token: code, timestamp: at.getTime(), window: 1 }) !== null;
