export {
  createRequestAuthorizer,
  type IamCaller,
  type IamDecision,
  type IamPolicies,
  type RequestAuthorizer,
} from './authorizeRequest.js';
export {
  accessDeniedMessage,
  type HttpAnswer,
  type Refusal,
  refusalAnswer,
} from './awsRefusals.js';
export { COGNITO_UNSIGNED_OPERATIONS } from './cognitoRequests.js';
export { deriveIamRequests, SIGNING_NAMES, wireProtocol } from './deriveIamRequests.js';
export type {
  ApiCall,
  Derivation,
  EndpointKind,
  IamRequest,
  Scope,
  WireProtocol,
} from './iamRequest.js';
export {
  type DecisionReason,
  type IamDecisionLogEntry,
  type Judgement,
  judgeRequest,
  type NetworkPlacement,
} from './judgeRequest.js';
export {
  type CredentialsRegistry,
  issueLocalCredentials,
  type LocalCredentials,
  type LocalRole,
} from './localCredentials.js';
export { type ReceivedRequest, receivedRequest } from './receivedRequest.js';
export {
  type FrontTiming,
  type IamFront,
  type IamFrontProps,
  startIamFront,
} from './startIamFront.js';
export {
  type FrontedEndpoint,
  type IamEnforcement,
  startIamFronts,
} from './startIamFronts.js';
export {
  type SigV4Rejection,
  type SigV4Verdict,
  type VerifySigV4Options,
  verifySigV4,
} from './verifySigV4.js';
