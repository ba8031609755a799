import * as z from 'zod/mini';
import { defineQuery } from '../defineQuery.js';
import { PaymentFailureReasonSchema } from '../events/payment.js';
import { MoneySchema, OrderIdSchema } from '../values.js';

/** Where the payment of an order stands, as Payment tells other services. */
export const PaymentStatusSchema = z.enum([
  'AWAITING',
  'CHARGING',
  'CAPTURED',
  'FAILED',
  'REFUNDED',
  'VOIDED',
]);
export type PaymentStatusView = z.infer<typeof PaymentStatusSchema>;

/** The payment of one order: status, amount and failure reason. Never the card token or charge ids. */
export const PaymentViewSchema = z.object({
  orderId: OrderIdSchema,
  status: PaymentStatusSchema,
  amount: z.optional(MoneySchema),
  failureReason: z.optional(PaymentFailureReasonSchema),
  updatedAt: z.iso.datetime(),
});
export type PaymentView = z.infer<typeof PaymentViewSchema>;

/** `GET /payments/{orderId}`: the payment of one order, 404 until Payment has heard of it. */
export const GetPayment = defineQuery({
  name: 'GetPayment',
  provider: 'payment',
  path: '/payments/{orderId}',
  params: z.object({ orderId: OrderIdSchema }),
  query: z.object({}),
  response: PaymentViewSchema,
});
