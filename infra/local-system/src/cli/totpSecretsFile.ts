import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TotpSecrets } from '../users.js';

/**
 * Where `npm start` keeps the staff's TOTP secrets of the running shop, beside the local
 * administrator's keys (readable by its owner only), for `npx shop` to sign staff in with.
 */
export const TOTP_SECRETS_FILE = fileURLToPath(
  new URL('../../.local-cloud/totp-secrets.json', import.meta.url),
);

/**
 * Writes the running shop's staff TOTP secrets to `TOTP_SECRETS_FILE`, readable by its owner only.
 *
 * @example
 * ```ts
 * writeTotpSecrets(shop.totpSecrets);
 * ```
 */
export const writeTotpSecrets = (secrets: TotpSecrets): void =>
  writeFileSync(TOTP_SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });

/**
 * The running shop's staff TOTP secrets, or none when no shop has written them.
 *
 * @example
 * ```ts
 * await signIn(pool, 'ada', readTotpSecrets());
 * ```
 */
export const readTotpSecrets = (): TotpSecrets =>
  existsSync(TOTP_SECRETS_FILE)
    ? (JSON.parse(readFileSync(TOTP_SECRETS_FILE, 'utf8')) as TotpSecrets)
    : {};
