import {
  DEAD_LETTER_REDRIVE_ROUTE,
  DEAD_LETTERS_ROUTE,
  defineService,
  GetPayment,
  InventoryReservedV1,
  OrderCancelledV1,
  OrderPlacedV2,
  PaymentFailedV1,
  PaymentRefundedV1,
  PaymentSucceededV1,
  reads,
} from '@shop/contracts';
import * as z from 'zod';

/**
 * The Payment service: charges an order once its stock is reserved, at most once per order,
 * and refunds it when the order is cancelled after the charge.
 */
export const paymentService = defineService({
  name: 'payment',
  description:
    'Charges an order once its stock is reserved, never twice, and refunds it when the order is cancelled after the charge.',
  publishes: [PaymentSucceededV1, PaymentFailedV1, PaymentRefundedV1],
  // Charges once stock is reserved (the amount comes from OrderPlaced v2); refunds on cancel.
  subscribes: [
    reads(OrderPlacedV2, ['orderId', 'customerId', 'total', 'paymentToken']),
    reads(InventoryReservedV1, ['orderId']),
    reads(OrderCancelledV1, ['orderId']),
  ],
  queries: {
    offers: [GetPayment],
    callers: { order: [GetPayment] },
  },
  // A table access level grants a kind of access, not each call: what a level grants here that
  // the functions never call, and why.
  // unused-grant payment-* dynamodb:BatchGetItem: `read` reads one item or a batch of them;
  // Payment reads one payment at a time.
  // unused-grant payment-* dynamodb:Query: `read` reads pages of one kind of item too; no route
  // or query of Payment lists payments.
  // unused-grant payment-events dynamodb:UpdateItem *:table/shop-payment: `write` puts and
  // updates items; Payment writes whole items (PutItem), each in one transaction with its
  // outbox item.
  functions: {
    // No customer route: Payment has no REST API, only its staff function.
    staff: {
      trigger: 'staff',
      description: 'Admins view payments; staff view dead letters; Admins redrive them.',
      access: { table: 'read', deadLetters: 'redrive', authorize: true },
      routes: {
        viewPaymentDetails: {
          method: 'GET',
          path: '/admin/payments/{orderId}',
          action: 'ViewPaymentDetails',
        },
        viewDeadLetters: DEAD_LETTERS_ROUTE,
        redriveDeadLetters: DEAD_LETTER_REDRIVE_ROUTE,
      },
    },
    events: {
      trigger: 'queue',
      description: 'Charges orders once stock is reserved, refunds them when cancelled.',
      access: { table: 'read-write', idempotency: 'records' },
    },
    queries: {
      trigger: 'lattice',
      description: 'Tells other services where the payment of an order stands.',
      access: { table: 'read', authorize: true },
    },
  },
  policies: 'policies',
  configuration: {
    CARD_PROCESSOR_URL: {
      description: 'Base URL of the card processor API',
      schema: z.url(),
      source: 'parameter',
    },
    CARD_PROCESSOR_TIMEOUT_MS: {
      description: 'How long one call to the card processor may take, in milliseconds',
      schema: z.coerce.number().int().min(1).default(1000),
      source: 'default',
    },
  },
});
