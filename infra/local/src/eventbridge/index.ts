export { EventBridgeEmulator, entrySize, MAX_PUT_EVENTS_BYTES } from './EventBridgeEmulator.js';
export { deliveryByService, logsDelivery } from './logsDelivery.js';
export {
  type EventPattern,
  matchesPattern,
  type ParsePatternResult,
  parsePattern,
} from './matchPattern.js';
export { sqsDelivery } from './sqsDelivery.js';
export { type EventBridgeServer, startEventBridge } from './startEventBridge.js';
export type {
  Deliver,
  DeliveredEvent,
  DeliveryFailure,
  DeliveryMetrics,
  ExhaustedRetryCondition,
} from './TargetDelivery.js';
export type { TargetErrorCode } from './targetError.js';
