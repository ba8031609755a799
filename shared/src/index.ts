export {
  type AuthorizationRequest,
  type Authorizer,
  callingService,
  isAllowed,
  userEntity,
} from './authorization/Authorizer.js';
export { VerifiedPermissionsAuthorizer } from './authorization/VerifiedPermissionsAuthorizer.js';
export { dynamodbClients } from './aws/dynamodbClients.js';
export { sqsClient } from './aws/sqsClient.js';
export { verifiedPermissionsClient } from './aws/verifiedPermissionsClient.js';
export { type DuePage, type DuePageRequest, dueEntities } from './deadlines.js';
export {
  type EntityPage,
  type EntityPageRequest,
  InvalidPageTokenError,
  listEntities,
  pageResult,
} from './entityPages.js';
export {
  ConcurrentUpdateError,
  QueryDeniedError,
  QueryError,
  QueryRejectedError,
  QueryUnavailableError,
  RetryLaterError,
  UserContextRejectedError,
} from './errors.js';
export {
  consumerConfig,
  type EventConsumerProps,
  type EventContext,
  eventConsumer,
  retryDelaySeconds,
} from './eventConsumer.js';
export { type ApiAnswer, answerOf, type FailureStatuses, problem } from './http/answer.js';
export { identityAuthorizer, requestAuthorizer } from './http/apiAuthorizer.js';
export {
  type ApiInput,
  type ApiRoute,
  apiHandler,
  type EndpointOptions,
  endpoint,
  forbidden,
  type HttpRequest,
  headersOf,
  MAX_BODY_BYTES,
  type RequestHeaders,
  UndeclaredRoutesError,
} from './http/apiHandler.js';
export {
  type DeadLetter,
  type DeadLetterRoutesProps,
  deadLetterRoutes,
  peekDeadLetters,
  RECEIVES_EXHAUSTED,
  redriveDeadLetters,
} from './http/deadLetterRedrive.js';
export {
  type IdempotentRequest,
  IdempotentRequests,
  type IdempotentRequestsProps,
  idempotencyTableConfig,
} from './http/IdempotentRequests.js';
export {
  type IdentityTokenConfig,
  identityTokenClaimsVerifier,
  identityTokenVerifier,
  UntrustedTokenError,
  type UserPoolConfig,
} from './http/identityTokens.js';
export { principalOf, type SignedInUser } from './http/signedInUser.js';
export {
  STAFF_ENTRY_ENVIRONMENT,
  type StaffEntryChecks,
  staffCallerOf,
  staffEntryChecks,
  staffHandler,
} from './http/staffHandler.js';
export {
  USER_CONTEXT_HEADER,
  type UserContextConfig,
  userContextVerifier,
  type VerifiedAccessUser,
} from './http/verifiedAccessUserContext.js';
export {
  failure,
  found,
  type InvocationFailure,
  type InvocationResult,
} from './invocationResult.js';
export { Logger, type LoggerOptions, type LogLevel } from './Logger.js';
export {
  type LatticeEventV2,
  LatticeEventV2Schema,
  type LatticeResponse,
} from './lattice/latticeEvent.js';
export { QueryClient, type QueryClientProps } from './lattice/QueryClient.js';
export {
  type QueryInput,
  type QueryRouteHandler,
  queryHandler,
  route,
} from './lattice/queryHandler.js';
export {
  OUTBOX_ITEM,
  OUTBOX_RETENTION_SECONDS,
  outboxPut,
  type TransactItem,
} from './outbox.js';
export { ConfigError, readConfig } from './readConfig.js';
export { readServiceConfig, type ServiceConfig } from './readServiceConfig.js';
export { type RetryOptions, retry } from './retry.js';
export { IDEMPOTENCY_TABLE, SERVICE_TABLE, withoutKeys } from './tables.js';
export {
  deadlineKeys,
  entityKey,
  VersionedItemStore,
  type VersionedItemStoreOptions,
} from './VersionedItemStore.js';
export { versionedPut, type WriteWithOutboxProps, writeWithOutbox } from './writeWithOutbox.js';
