import * as z from 'zod/mini';
import { defineEvent } from '../defineEvent.js';
import {
  CustomerIdSchema,
  MoneySchema,
  OrderIdSchema,
  PaymentTokenSchema,
  QuantitySchema,
  SkuSchema,
  StockLineSchema,
} from '../values.js';
import { EXAMPLE_CUSTOMER_ID, EXAMPLE_ORDER_ID } from './examples.js';

/**
 * `OrderPlaced` v1 data: the first published shape. The total is a float in major units and
 * lines carry no prices. Superseded by v2, still published for the consumers that read it.
 *
 * @example
 * ```ts
 * OrderPlacedV1Schema.parse({ orderId, customerId, lines: [{ sku: 'MUG-001', quantity: 2 }], total: 25.98 });
 * ```
 */
export const OrderPlacedV1Schema = z.object({
  orderId: OrderIdSchema,
  customerId: CustomerIdSchema,
  lines: z.array(StockLineSchema).check(z.minLength(1)),
  total: z.number().check(z.minimum(0)).register(z.globalRegistry, {
    description: 'Order total in major units (EUR), as a floating-point number.',
  }),
});
export type OrderPlacedV1 = z.infer<typeof OrderPlacedV1Schema>;

/**
 * `OrderPlaced` v2 data. Breaking change from v1: money is integer minor units with a currency,
 * every line carries its unit price, and the payment token travels with the order.
 *
 * @example
 * ```ts
 * OrderPlacedV2Schema.parse({
 *   orderId, customerId, paymentToken: 'tok_success',
 *   lines: [{ sku: 'MUG-001', quantity: 2, unitPrice: { amountMinor: 1299, currency: 'EUR' } }],
 *   total: { amountMinor: 2598, currency: 'EUR' },
 * });
 * ```
 */
export const OrderPlacedV2Schema = z.object({
  orderId: OrderIdSchema,
  customerId: CustomerIdSchema,
  lines: z
    .array(z.object({ sku: SkuSchema, quantity: QuantitySchema, unitPrice: MoneySchema }))
    .check(z.minLength(1)),
  total: MoneySchema,
  paymentToken: PaymentTokenSchema,
});
export type OrderPlacedV2 = z.infer<typeof OrderPlacedV2Schema>;

/**
 * `OrderConfirmed` v1 data: payment succeeded, the order is final.
 *
 * @example
 * ```ts
 * OrderConfirmedV1Schema.parse({ orderId, customerId });
 * ```
 */
export const OrderConfirmedV1Schema = z.object({
  orderId: OrderIdSchema,
  customerId: CustomerIdSchema,
});
export type OrderConfirmedV1 = z.infer<typeof OrderConfirmedV1Schema>;

/**
 * Why an order was cancelled.
 *
 * @example
 * ```ts
 * CancellationReasonSchema.parse('CUSTOMER_REQUESTED');
 * ```
 */
export const CancellationReasonSchema = z.enum([
  'INVENTORY_UNAVAILABLE',
  'PAYMENT_FAILED',
  'CUSTOMER_REQUESTED',
]);
export type CancellationReason = z.infer<typeof CancellationReasonSchema>;

/**
 * `OrderCancelled` v1 data: the order will not be fulfilled; reserved stock is released and a
 * captured payment refunded.
 *
 * @example
 * ```ts
 * OrderCancelledV1Schema.parse({ orderId, customerId, reason: 'PAYMENT_FAILED' });
 * ```
 */
export const OrderCancelledV1Schema = z.object({
  orderId: OrderIdSchema,
  customerId: CustomerIdSchema,
  reason: CancellationReasonSchema,
});
export type OrderCancelledV1 = z.infer<typeof OrderCancelledV1Schema>;

/** Definition of `OrderPlaced` v1. */
export const OrderPlacedV1 = defineEvent({
  name: 'OrderPlaced',
  version: 1,
  producer: 'order',
  description: 'A customer placed an order (float total, no line prices). Superseded by v2.',
  schema: OrderPlacedV1Schema,
  example: {
    orderId: EXAMPLE_ORDER_ID,
    customerId: EXAMPLE_CUSTOMER_ID,
    lines: [{ sku: 'MUG-001', quantity: 2 }],
    total: 25.98,
  },
});

/** Definition of `OrderPlaced` v2. */
export const OrderPlacedV2 = defineEvent({
  name: 'OrderPlaced',
  version: 2,
  producer: 'order',
  description: 'A customer placed an order: lines with unit prices, total in minor units.',
  schema: OrderPlacedV2Schema,
  example: {
    orderId: EXAMPLE_ORDER_ID,
    customerId: EXAMPLE_CUSTOMER_ID,
    lines: [{ sku: 'MUG-001', quantity: 2, unitPrice: { amountMinor: 1299, currency: 'EUR' } }],
    total: { amountMinor: 2598, currency: 'EUR' },
    paymentToken: 'tok_success',
  },
});

/** Definition of `OrderConfirmed` v1. */
export const OrderConfirmedV1 = defineEvent({
  name: 'OrderConfirmed',
  version: 1,
  producer: 'order',
  description: 'Payment succeeded; the order is final and its reserved stock can be committed.',
  schema: OrderConfirmedV1Schema,
  example: { orderId: EXAMPLE_ORDER_ID, customerId: EXAMPLE_CUSTOMER_ID },
});

/** Definition of `OrderCancelled` v1. */
export const OrderCancelledV1 = defineEvent({
  name: 'OrderCancelled',
  version: 1,
  producer: 'order',
  description: 'The order will not be fulfilled; reserved stock is released, a charge refunded.',
  schema: OrderCancelledV1Schema,
  example: {
    orderId: EXAMPLE_ORDER_ID,
    customerId: EXAMPLE_CUSTOMER_ID,
    reason: 'CUSTOMER_REQUESTED',
  },
});
