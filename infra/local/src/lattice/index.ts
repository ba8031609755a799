export {
  type ReceivedRequest,
  type SigV4Rejection,
  type SigV4Verdict,
  verifySigV4,
} from '../iam/verifySigV4.js';
export type { LatticeAccessLogEntry } from './accessLogEntry.js';
export type { LatticePrincipal } from './authenticateCaller.js';
export {
  type AuthDecision,
  authorizeInvoke,
  type InvokeRequest,
  type LatticeCaller,
} from './authorizeInvoke.js';
export {
  type LatticeGateway,
  type LatticeGatewayProps,
  type LatticeServiceDefinition,
  latticeArn,
  type RunningLatticeService,
  startLatticeGateway,
} from './startLatticeGateway.js';
