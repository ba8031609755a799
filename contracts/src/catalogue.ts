import type { AnyEventDefinition } from './defineEvent.js';
import {
  InventoryReleasedV1,
  InventoryReservationFailedV1,
  InventoryReservedV1,
} from './events/inventory.js';
import {
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  OrderPlacedV2,
} from './events/order.js';
import { PaymentFailedV1, PaymentRefundedV1, PaymentSucceededV1 } from './events/payment.js';

/**
 * Every event version the shop publishes, in saga order. A version listed here is published;
 * removing one retires it, which the registry only allows once no consumer subscribes to it.
 *
 * @example
 * ```ts
 * catalogue.filter((event) => event.producer === 'order').map(eventLabel);
 * // ['OrderPlaced v1', 'OrderPlaced v2', 'OrderConfirmed v1', 'OrderCancelled v1']
 * ```
 */
export const catalogue = [
  OrderPlacedV1,
  OrderPlacedV2,
  InventoryReservedV1,
  InventoryReservationFailedV1,
  PaymentSucceededV1,
  PaymentFailedV1,
  OrderConfirmedV1,
  OrderCancelledV1,
  InventoryReleasedV1,
  PaymentRefundedV1,
] as const satisfies readonly AnyEventDefinition[];

/** Any event version of the catalogue. */
export type CatalogueEvent = (typeof catalogue)[number];
