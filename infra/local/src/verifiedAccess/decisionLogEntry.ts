/** Why the endpoint let a request through or refused it. */
export type VerifiedAccessReason =
  /** A policy of the group permitted it. */
  | 'PolicyAllowed'
  /** No session of the endpoint's own and no ID token in `Authorization: Bearer`. */
  | 'NoIdentityToken'
  /** The ID token's signature, issuer, audience, use or expiry is not the trust provider's. */
  | 'InvalidIdentityToken'
  /** A device posture assertion that is forged, altered, expired or not the provider's. */
  | 'InvalidDevicePosture'
  /** No policy permitted it (or a forbid matched). */
  | 'PolicyDenied';

/** One line of the decision log: one request through the Verified Access endpoint. */
export interface VerifiedAccessDecision {
  readonly kind: 'verified-access';
  readonly instanceArn: string;
  readonly method: string;
  readonly path: string;
  /** The ID token's `sub`, once verified. */
  readonly user: string | undefined;
  /** The device posture's device id, once verified. */
  readonly device: string | undefined;
  readonly decision: 'Allow' | 'Deny';
  readonly reason: VerifiedAccessReason;
  /** The policies that decided, by their place in the document (`policy0`, ...). */
  readonly policies: readonly string[];
  /** Why a token was refused, or the policies' evaluation errors. */
  readonly errors: readonly string[];
}
