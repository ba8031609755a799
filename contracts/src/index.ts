import './issueMessages.js';

export {
  type BuildEventOptions,
  buildEvent,
  causedBy,
  type EventCause,
  type OutgoingEvent,
} from './buildEvent.js';
export { type CatalogueEvent, catalogue } from './catalogue.js';
export type { CedarEntity, EntityRef } from './cedarEntity.js';
export {
  type AnyEventDefinition,
  defineEvent,
  type EventData,
  type EventDefinition,
  eventLabel,
} from './defineEvent.js';
export {
  type AnyQueryDefinition,
  defineQuery,
  matchQueryPath,
  policyPath,
  type QueryDefinition,
  type QueryString,
  queryPath,
  repeated,
} from './defineQuery.js';
export {
  type ConfigurationKey,
  DEAD_LETTER_REDRIVE_ROUTE,
  DEAD_LETTERS_ROUTE,
  defineService,
  type FunctionAccess,
  type FunctionTrigger,
  functionName,
  type OfferedQueries,
  queriesCalledBy,
  type RestRoute,
  type ServiceFunction,
  type ServiceManifest,
  ServiceManifestError,
  STAFF_PATH,
  type TableAccess,
  TOKEN_AUTHORIZER,
} from './defineService.js';
export {
  type EventBridgeEnvelope,
  EventBridgeEnvelopeSchema,
  type EventMetadata,
  EventMetadataSchema,
} from './envelope.js';
export {
  EventContractError,
  InvalidEventDataError,
  MalformedEventError,
  UnknownEventError,
  UnknownEventVersionError,
} from './errors.js';
export { type EventVersionPattern, eventPattern } from './eventPattern.js';
export * from './events/examples.js';
export * from './events/inventory.js';
export * from './events/order.js';
export * from './events/payment.js';
export {
  type DecisionKind,
  type DecisionLogMessage,
  orderTimelinePattern,
  SHOP_LOG_GROUPS,
} from './logGroups.js';
export { ENVIRONMENT } from './names/environment.js';
export {
  createEventParser,
  type EventParser,
  type ParseEventResult,
  type ReceivedEvent,
} from './parseEvent.js';
export * from './queries/inventory.js';
export * from './queries/payment.js';
export { queryCatalogue } from './queries/registry.js';
export { type RateExpression, rateSeconds } from './rateExpression.js';
export { type AnyEventView, type EventView, reads, type Subscriber } from './reads.js';
export {
  buildRegistry,
  type DanglingSubscription,
  findDanglingSubscriptions,
  type RegistryEntry,
} from './registry.js';
export {
  type EnvironmentSource,
  type EnvironmentVariable,
  functionEnvironment,
  queriesUrlVariable,
} from './serviceEnvironment.js';
export { type EventSource, eventSource, SERVICE_NAMES, type ServiceName } from './services.js';
export {
  TRANSPORTABLE_CHARACTERS,
  type TransportableStringOptions,
  transportableString,
} from './transportableString.js';
export { CUSTOMER_GROUPS, STAFF_GROUPS } from './userGroups.js';
export * from './values.js';
