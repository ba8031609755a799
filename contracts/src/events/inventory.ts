import * as z from 'zod/mini';
import { defineEvent } from '../defineEvent.js';
import { OrderIdSchema, SkuSchema, StockLineSchema } from '../values.js';
import { EXAMPLE_ORDER_ID } from './examples.js';

/**
 * `InventoryReserved` v1 data: every line of the order is reserved, atomically.
 *
 * @example
 * ```ts
 * InventoryReservedV1Schema.parse({ orderId, lines: [{ sku: 'MUG-001', quantity: 2 }] });
 * ```
 */
export const InventoryReservedV1Schema = z.object({
  orderId: OrderIdSchema,
  lines: z.array(StockLineSchema).check(z.minLength(1)),
});
export type InventoryReservedV1 = z.infer<typeof InventoryReservedV1Schema>;

/**
 * Why a reservation failed.
 *
 * @example
 * ```ts
 * ReservationFailureReasonSchema.parse('INSUFFICIENT_STOCK');
 * ```
 */
export const ReservationFailureReasonSchema = z.enum(['INSUFFICIENT_STOCK', 'UNKNOWN_PRODUCT']);
export type ReservationFailureReason = z.infer<typeof ReservationFailureReasonSchema>;

/**
 * `InventoryReservationFailed` v1 data: nothing was reserved; `unavailable` lists the lines that
 * could not be served and how many units were available.
 *
 * @example
 * ```ts
 * InventoryReservationFailedV1Schema.parse({
 *   orderId, reason: 'INSUFFICIENT_STOCK',
 *   unavailable: [{ sku: 'MUG-001', requested: 2, available: 1 }],
 * });
 * ```
 */
export const InventoryReservationFailedV1Schema = z.object({
  orderId: OrderIdSchema,
  reason: ReservationFailureReasonSchema,
  unavailable: z
    .array(
      z.object({
        sku: SkuSchema,
        requested: z.int().check(z.minimum(1)),
        available: z.int().check(z.minimum(0)),
      }),
    )
    .check(z.minLength(1)),
});
export type InventoryReservationFailedV1 = z.infer<typeof InventoryReservationFailedV1Schema>;

/**
 * `InventoryReleased` v1 data: the reservation of a cancelled order went back to stock.
 *
 * @example
 * ```ts
 * InventoryReleasedV1Schema.parse({ orderId, lines: [{ sku: 'MUG-001', quantity: 2 }] });
 * ```
 */
export const InventoryReleasedV1Schema = z.object({
  orderId: OrderIdSchema,
  lines: z.array(StockLineSchema).check(z.minLength(1)),
});
export type InventoryReleasedV1 = z.infer<typeof InventoryReleasedV1Schema>;

/** Definition of `InventoryReserved` v1. */
export const InventoryReservedV1 = defineEvent({
  name: 'InventoryReserved',
  version: 1,
  producer: 'inventory',
  description: 'All lines of an order are reserved; stock is held until confirm or cancel.',
  schema: InventoryReservedV1Schema,
  example: { orderId: EXAMPLE_ORDER_ID, lines: [{ sku: 'MUG-001', quantity: 2 }] },
});

/** Definition of `InventoryReservationFailed` v1. */
export const InventoryReservationFailedV1 = defineEvent({
  name: 'InventoryReservationFailed',
  version: 1,
  producer: 'inventory',
  description: 'The order cannot be served from stock; nothing was reserved.',
  schema: InventoryReservationFailedV1Schema,
  example: {
    orderId: EXAMPLE_ORDER_ID,
    reason: 'INSUFFICIENT_STOCK',
    unavailable: [{ sku: 'MUG-001', requested: 2, available: 1 }],
  },
});

/** Definition of `InventoryReleased` v1. */
export const InventoryReleasedV1 = defineEvent({
  name: 'InventoryReleased',
  version: 1,
  producer: 'inventory',
  description: 'The reservation of a cancelled order went back to stock.',
  schema: InventoryReleasedV1Schema,
  example: { orderId: EXAMPLE_ORDER_ID, lines: [{ sku: 'MUG-001', quantity: 2 }] },
});
