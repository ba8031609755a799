import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DeviceTrustKey } from '@shop/local-cloud/verified-access';

/**
 * Where `npm start` keeps the local device trust provider's signing key of the running shop
 * (readable by its owner only), for `npx shop device` to issue postures with, as the Jamf agent
 * on this machine would.
 */
export const DEVICE_TRUST_KEY_FILE = fileURLToPath(
  new URL('../../.local-cloud/device-trust-key.json', import.meta.url),
);

/** Where `npx shop device` leaves the last posture it issued, for a browser or a tool to send. */
export const DEVICE_POSTURE_FILE = fileURLToPath(
  new URL('../../.local-cloud/device.jwt', import.meta.url),
);

/**
 * Writes the running shop's device trust key to `DEVICE_TRUST_KEY_FILE`, owner-only.
 *
 * @example
 * ```ts
 * writeDeviceTrustKey(shop.deviceTrustKey);
 * ```
 */
export const writeDeviceTrustKey = (key: DeviceTrustKey): void =>
  writeFileSync(DEVICE_TRUST_KEY_FILE, `${JSON.stringify(key)}\n`, { mode: 0o600 });

/**
 * The running shop's device trust key.
 *
 * @throws {Error} when no shop has written one.
 * @example
 * ```ts
 * issueDevicePosture(readDeviceTrustKey(), posture);
 * ```
 */
export const readDeviceTrustKey = (): DeviceTrustKey => {
  if (!existsSync(DEVICE_TRUST_KEY_FILE))
    throw new Error('No device trust key: is the shop running?');
  return JSON.parse(readFileSync(DEVICE_TRUST_KEY_FILE, 'utf8')) as DeviceTrustKey;
};

/**
 * Saves a device posture to `DEVICE_POSTURE_FILE`, owner-only.
 *
 * @example
 * ```ts
 * writeDevicePosture(assertion);
 * ```
 */
export const writeDevicePosture = (assertion: string): void =>
  writeFileSync(DEVICE_POSTURE_FILE, `${assertion}\n`, { mode: 0o600 });

/**
 * The posture `npx shop device` last saved, read at each call, as a tool sends it.
 *
 * @throws {Error} when none was saved.
 * @example
 * ```ts
 * const staff = { url: verifiedAccessUrl, devicePosture: readDevicePosture };
 * ```
 */
export const readDevicePosture = (): string => {
  if (!existsSync(DEVICE_POSTURE_FILE)) {
    throw new Error('No device posture: run `npx shop device compliant` first');
  }
  return readFileSync(DEVICE_POSTURE_FILE, 'utf8').trim();
};
