import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { signJwt, verifiedJwt } from './compactJwt.js';

/** Jamf's risk levels, as Verified Access passes them in `context.jamf.risk`. */
export type JamfRisk = 'HIGH' | 'MEDIUM' | 'LOW' | 'SECURE' | 'NOT_APPLICABLE';

/** A device's posture as the Jamf trust provider reports it to Verified Access. */
export interface DevicePosture {
  readonly deviceId: string;
  /** The trust data Verified Access puts in `context.jamf`. */
  readonly jamf: {
    readonly risk: JamfRisk;
    /** The OS version, in Apple's format. */
    readonly osv: string;
    /** Group ids from the UEM connector's sync. */
    readonly groups: readonly string[];
  };
}

/** The local device trust provider's signing key (ES256): made for one run, never in code. */
export interface DeviceTrustKey {
  readonly kid: string;
  /** PKCS#8 PEM. */
  readonly privateKey: string;
}

/** What checks the assertions: the key's id and its public half (SPKI PEM). */
export interface DeviceTrustPublicKey {
  readonly kid: string;
  readonly publicKey: string;
}

/** Where a request carries its device's posture assertion. */
export const DEVICE_POSTURE = {
  /** For tools (`curl`, the shop CLI). */
  header: 'x-device-posture',
  /** For a browser: what Verified Access's browser extension would supply. */
  cookie: 'device_posture',
} as const;

/** Who issues the assertions: their `iss`. */
const ISSUER = 'local-device-trust-provider';

/** How long an assertion is valid by default: a posture is re-checked often. */
const DEFAULT_VALIDITY_SECONDS = 15 * 60;

/**
 * A new signing key of the local device trust provider.
 *
 * @example
 * ```ts
 * const key = newDeviceTrustKey(); // { kid, privateKey: '-----BEGIN PRIVATE KEY-----...' }
 * ```
 */
export const newDeviceTrustKey = (): DeviceTrustKey => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid: randomUUID(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
};

/**
 * The public half of a device trust key: all a verifier needs.
 *
 * @example
 * ```ts
 * const verifyPosture = devicePostureVerifier(deviceTrustPublicKey(key));
 * ```
 */
export const deviceTrustPublicKey = (key: DeviceTrustKey): DeviceTrustPublicKey => ({
  kid: key.kid,
  publicKey: createPublicKey(createPrivateKey(key.privateKey))
    .export({ type: 'spki', format: 'pem' })
    .toString(),
});

/**
 * A device posture assertion signed by the local device trust provider, as the Jamf agent
 * would hand it to Verified Access's browser extension: a JWT (ES256) with the device id as
 * `sub`, Jamf's trust data as `jamf`, and an expiry.
 *
 * @example
 * ```ts
 * const assertion = issueDevicePosture(key, {
 *   deviceId: 'laptop-1', jamf: { risk: 'LOW', osv: '15.1.0', groups: [] },
 * });
 * ```
 */
export const issueDevicePosture = (
  key: DeviceTrustKey,
  posture: DevicePosture,
  options: { readonly now?: Date; readonly validitySeconds?: number } = {},
): string => {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return signJwt(
    'ES256',
    createPrivateKey(key.privateKey),
    { kid: key.kid, typ: 'JWT' },
    {
      iss: ISSUER,
      sub: posture.deviceId,
      iat: issuedAt,
      exp: issuedAt + (options.validitySeconds ?? DEFAULT_VALIDITY_SECONDS),
      jamf: posture.jamf,
    },
  );
};

const RISKS: readonly string[] = ['HIGH', 'MEDIUM', 'LOW', 'SECURE', 'NOT_APPLICABLE'];

/**
 * Checks device posture assertions against the local device trust provider's key: the
 * signature (ES256, this key's `kid`), the issuer, the expiry and the shape of the trust data.
 * Answers the posture, or undefined for an assertion that is forged, altered, expired or not
 * the provider's.
 *
 * @example
 * ```ts
 * const postureOf = devicePostureVerifier(deviceTrustPublicKey(key));
 * postureOf(assertion, new Date())?.jamf.risk; // 'LOW'
 * ```
 */
export const devicePostureVerifier = (
  key: DeviceTrustPublicKey,
): ((assertion: string, now: Date) => DevicePosture | undefined) => {
  const publicKey = createPublicKey(key.publicKey);
  return (assertion, now) => {
    const parts = verifiedJwt('ES256', publicKey, assertion);
    if (parts === undefined || parts.header['kid'] !== key.kid) return undefined;
    const { iss, sub, exp, jamf } = parts.payload;
    if (iss !== ISSUER || typeof sub !== 'string' || typeof exp !== 'number') return undefined;
    if (exp * 1000 <= now.getTime()) return undefined;
    const data = (typeof jamf === 'object' && jamf !== null ? jamf : {}) as Record<string, unknown>;
    const { risk, osv, groups } = data;
    if (typeof risk !== 'string' || !RISKS.includes(risk) || typeof osv !== 'string') {
      return undefined;
    }
    return {
      deviceId: sub,
      jamf: {
        risk: risk as JamfRisk,
        osv,
        groups: Array.isArray(groups) ? groups.map(String) : [],
      },
    };
  };
};
