export type { VerifiedAccessDecision, VerifiedAccessReason } from './decisionLogEntry.js';
export {
  DEVICE_POSTURE,
  type DevicePosture,
  type DeviceTrustKey,
  type DeviceTrustPublicKey,
  devicePostureVerifier,
  deviceTrustPublicKey,
  issueDevicePosture,
  type JamfRisk,
  newDeviceTrustKey,
} from './deviceTrustProvider.js';
export {
  DEVICE_PAGE_PATH,
  IDP_RESPONSE_PATH,
  type OidcClientOptions,
  SESSION_COOKIE,
} from './oidcRelyingParty.js';
export {
  startVerifiedAccess,
  type VerifiedAccessEndpoint,
  type VerifiedAccessProps,
} from './startVerifiedAccess.js';
