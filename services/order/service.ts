import {
  DEAD_LETTER_REDRIVE_ROUTE,
  DEAD_LETTERS_ROUTE,
  defineService,
  GetPayment,
  InventoryReservationFailedV1,
  ListProducts,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  OrderPlacedV2,
  PaymentFailedV1,
  PaymentSucceededV1,
  reads,
  TOKEN_AUTHORIZER,
} from '@shop/contracts';
import * as z from 'zod';

/**
 * The Order service: takes customers' orders, prices them with Inventory and follows each one
 * through stock and payment to CONFIRMED or CANCELLED, or to its expiry.
 */
export const orderService = defineService({
  name: 'order',
  description:
    'Takes orders, prices and checks them against Inventory, and follows each one through stock and payment to CONFIRMED or CANCELLED.',
  publishes: [OrderPlacedV1, OrderPlacedV2, OrderConfirmedV1, OrderCancelledV1],
  // Confirms on a successful payment of the order's total; cancels when stock or payment fails,
  // or when a payment is not the order's total.
  subscribes: [
    reads(InventoryReservationFailedV1, ['orderId']),
    reads(PaymentSucceededV1, ['orderId', 'amount']),
    reads(PaymentFailedV1, ['orderId']),
  ],
  // A table access level grants a kind of access, not each call: what a level grants here that
  // the functions never call, and why.
  // unused-grant order-* dynamodb:BatchGetItem: `read` reads one item or a batch of them; Order
  // reads one order at a time.
  // unused-grant order-* dynamodb:UpdateItem *:table/shop-order: `write` puts and updates items;
  // Order writes whole items (PutItem), each in one transaction with its outbox item.
  // unused-grant order-events dynamodb:Query: `read` reads pages of one kind of item too; only
  // the API and the staff function list orders.
  // unused-grant order-staff dynamodb:GetItem: `read` reads one item or a batch of them; the
  // staff function only lists orders.
  // unused-grant order-expire-orders dynamodb:Query *:table/shop-order/index/by-entity: `read`
  // reads pages of one kind of item too; the expiry reads only the due orders, from the
  // by-deadline index.
  functions: {
    api: {
      trigger: 'rest',
      description: 'Customers place, list, view and cancel their orders.',
      access: {
        table: 'read-write',
        queries: [ListProducts, GetPayment],
        authorize: true,
        // `POST /orders` with an Idempotency-Key answers a retry with the first answer.
        idempotency: 'records',
      },
      routes: {
        placeOrder: { method: 'POST', path: '/orders', action: 'PlaceOrder' },
        listOwnOrders: { method: 'GET', path: '/orders', action: 'ListOwnOrders' },
        viewOrder: { method: 'GET', path: '/orders/{orderId}', action: 'ViewOrder' },
        cancelOrder: { method: 'POST', path: '/orders/{orderId}/cancel', action: 'CancelOrder' },
      },
    },
    authorizer: TOKEN_AUTHORIZER,
    staff: {
      trigger: 'staff',
      description: 'Staff list all orders, and view and redrive dead letters.',
      access: { table: 'read', deadLetters: 'redrive', authorize: true },
      routes: {
        listAllOrders: { method: 'GET', path: '/admin/orders', action: 'ListAllOrders' },
        viewDeadLetters: DEAD_LETTERS_ROUTE,
        redriveDeadLetters: DEAD_LETTER_REDRIVE_ROUTE,
      },
    },
    events: {
      trigger: 'queue',
      description: 'Confirms an order on payment, cancels it when stock or payment fails.',
      access: { table: 'read-write', idempotency: 'records' },
    },
    expireOrders: {
      trigger: 'schedule',
      schedule: 'rate(1 minute)',
      description:
        'Cancels the orders still PENDING at their deadline (EXPIRED), which releases their stock and voids or refunds their payment.',
      access: { table: 'read-write', deadlines: 'read' },
    },
  },
  policies: 'policies',
  configuration: {
    ORDER_EXPIRY_SECONDS: {
      description:
        'How long a new order may stay PENDING before it expires (cancelled, its stock released), in seconds; kept on the order when it is placed',
      schema: z.coerce.number().int().min(1).default(900),
      source: 'default',
    },
    IDEMPOTENCY_KEY_EXPIRY_SECONDS: {
      description:
        'How long the answer to `POST /orders` with an Idempotency-Key is kept for its retries, in seconds',
      schema: z.coerce
        .number()
        .int()
        .min(60)
        .default(24 * 3600),
      source: 'default',
    },
  },
});
