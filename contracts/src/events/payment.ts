import * as z from 'zod/mini';
import { defineEvent } from '../defineEvent.js';
import { MoneySchema, OrderIdSchema } from '../values.js';
import { EXAMPLE_ORDER_ID, EXAMPLE_PAYMENT_ID } from './examples.js';

/**
 * `PaymentSucceeded` v1 data: the order's total was captured, once.
 *
 * @example
 * ```ts
 * PaymentSucceededV1Schema.parse({ orderId, paymentId, amount: { amountMinor: 2598, currency: 'EUR' } });
 * ```
 */
export const PaymentSucceededV1Schema = z.object({
  orderId: OrderIdSchema,
  paymentId: z.uuid(),
  amount: MoneySchema,
});
export type PaymentSucceededV1 = z.infer<typeof PaymentSucceededV1Schema>;

/**
 * Why a payment failed.
 *
 * @example
 * ```ts
 * PaymentFailureReasonSchema.parse('CARD_DECLINED');
 * ```
 */
export const PaymentFailureReasonSchema = z.enum([
  'CARD_DECLINED',
  'INSUFFICIENT_FUNDS',
  'PROCESSOR_UNAVAILABLE',
]);
export type PaymentFailureReason = z.infer<typeof PaymentFailureReasonSchema>;

/**
 * `PaymentFailed` v1 data: nothing was captured.
 *
 * @example
 * ```ts
 * PaymentFailedV1Schema.parse({ orderId, reason: 'CARD_DECLINED' });
 * ```
 */
export const PaymentFailedV1Schema = z.object({
  orderId: OrderIdSchema,
  reason: PaymentFailureReasonSchema,
});
export type PaymentFailedV1 = z.infer<typeof PaymentFailedV1Schema>;

/**
 * `PaymentRefunded` v1 data: a captured payment was refunded in full.
 *
 * @example
 * ```ts
 * PaymentRefundedV1Schema.parse({ orderId, paymentId, amount: { amountMinor: 2598, currency: 'EUR' } });
 * ```
 */
export const PaymentRefundedV1Schema = z.object({
  orderId: OrderIdSchema,
  paymentId: z.uuid(),
  amount: MoneySchema,
});
export type PaymentRefundedV1 = z.infer<typeof PaymentRefundedV1Schema>;

/** Definition of `PaymentSucceeded` v1. */
export const PaymentSucceededV1 = defineEvent({
  name: 'PaymentSucceeded',
  version: 1,
  producer: 'payment',
  description: "The order's total was captured.",
  schema: PaymentSucceededV1Schema,
  example: {
    orderId: EXAMPLE_ORDER_ID,
    paymentId: EXAMPLE_PAYMENT_ID,
    amount: { amountMinor: 2598, currency: 'EUR' },
  },
});

/** Definition of `PaymentFailed` v1. */
export const PaymentFailedV1 = defineEvent({
  name: 'PaymentFailed',
  version: 1,
  producer: 'payment',
  description: 'The charge was refused or the processor stayed unavailable; nothing captured.',
  schema: PaymentFailedV1Schema,
  example: { orderId: EXAMPLE_ORDER_ID, reason: 'CARD_DECLINED' },
});

/** Definition of `PaymentRefunded` v1. */
export const PaymentRefundedV1 = defineEvent({
  name: 'PaymentRefunded',
  version: 1,
  producer: 'payment',
  description: 'A captured payment was refunded in full after the order was cancelled.',
  schema: PaymentRefundedV1Schema,
  example: {
    orderId: EXAMPLE_ORDER_ID,
    paymentId: EXAMPLE_PAYMENT_ID,
    amount: { amountMinor: 2598, currency: 'EUR' },
  },
});
