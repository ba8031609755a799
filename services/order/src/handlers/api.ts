import {
  type CedarEntity,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeySchema,
  type OrderId,
  OrderIdSchema,
  OrderLinesSchema,
  PaymentTokenSchema,
} from '@shop/contracts';
import {
  type ApiAnswer,
  answerOf,
  apiHandler,
  dynamodbClients,
  endpoint,
  forbidden,
  IdempotentRequests,
  idempotencyTableConfig,
  isAllowed,
  problem,
} from '@shop/shared';
import * as z from 'zod';
import type { Order } from '#domain/order.js';
import { orderService } from '#service';
import { orderDetails } from '../app/orderDetails.js';
import { visibleOrder } from '../app/visibleOrder.js';
import { dependencies } from './apiDependencies.js';
import { cancelOrderCommand, ORDER_FAILURE_STATUSES, placeOrderCommand } from './commands.js';
import { logger, settings } from './dependencies.js';
import { ORDER_BOOK, orderPage } from './orderBook.js';
import { authorizer } from './policyStore.js';

const { routes } = orderService.functions.api;

const orderEntity = (order: Pick<Order, 'orderId' | 'customerId'>): CedarEntity => ({
  uid: { type: 'Shop::Order', id: order.orderId },
  attrs: { owner: { __entity: { type: 'Shop::User', id: order.customerId } } },
  parents: [],
});

/**
 * An order as a customer places it. Every field travels on in OrderPlaced, so each is refused
 * here if SQS, EventBridge or DynamoDB would refuse it later.
 */
const PlaceOrderBodySchema = z.object({
  lines: OrderLinesSchema,
  paymentToken: PaymentTokenSchema,
});

/** What `POST /orders` reads of the headers: an optional Idempotency-Key. */
const PlaceOrderHeadersSchema = z.object({
  [IDEMPOTENCY_KEY_HEADER]: IdempotencyKeySchema.optional(),
});

/** Placements with an Idempotency-Key, each answered once per customer and key. */
const placements = new IdempotentRequests({
  dynamodb: dynamodbClients().dynamodb,
  operation: routes.placeOrder.action,
  expiresAfterSeconds: settings.IDEMPOTENCY_KEY_EXPIRY_SECONDS,
  ...idempotencyTableConfig(),
});

/** Asks Order's policy store whether the principal may take the action on the resource. */
const may = (principal: CedarEntity, action: string, resource: CedarEntity) =>
  isAllowed(authorizer, principal, action, resource);

const notFound = (orderId: OrderId) => problem(404, 'NOT_FOUND', `Order ${orderId} not found`);

/**
 * Loads an order for a route on one order: 400 for a malformed id; 404 if there is none, and the
 * same 404 if the user may not view it, so that nobody learns from an id whether its order exists.
 */
const withVisibleOrder = async (
  orderId: string | undefined,
  principal: CedarEntity,
  run: (order: Order) => Promise<ApiAnswer>,
): Promise<ApiAnswer> => {
  const id = OrderIdSchema.safeParse(orderId);
  if (!id.success) return problem(400, 'VALIDATION_FAILED', 'Invalid order id', id.error.issues);
  const order = await visibleOrder(dependencies, id.data, (candidate) =>
    may(principal, routes.viewOrder.action, orderEntity(candidate)),
  );
  return order === undefined ? notFound(id.data) : run(order);
};

/**
 * Order's REST API. Customers: `POST /orders`, `GET /orders` (their own), `GET /orders/{orderId}`,
 * `POST /orders/{orderId}/cancel`. Employees: `GET /orders/{orderId}` for any order (their own
 * routes are the staff function's). Every route asks Order's Cedar policies; a customer sees
 * and cancels only their own orders. An order the user may not view (`ViewOrder`) is answered
 * as one that does not exist, 404 with the same body; one they may view but not cancel is 403.
 * `POST /orders` with an `Idempotency-Key` places one order per customer and key: a retry is
 * given the first answer (see {@link IdempotentRequests}).
 */
export const handler = apiHandler(
  [
    endpoint(
      routes.placeOrder,
      PlaceOrderBodySchema,
      async ({ body, headers, user, principal, lambdaContext }) => {
        if (!(await may(principal, routes.placeOrder.action, ORDER_BOOK))) return forbidden();
        const key = headers[IDEMPOTENCY_KEY_HEADER];
        return placements.answer({ owner: user.sub, key, payload: body, lambdaContext }, async () =>
          answerOf(
            await placeOrderCommand({ ...body, customerId: user.sub, idempotencyKey: key }),
            201,
            ORDER_FAILURE_STATUSES,
          ),
        );
      },
      { headers: PlaceOrderHeadersSchema },
    ),
    endpoint(routes.listOwnOrders, undefined, async ({ query, user, principal }) =>
      (await may(principal, routes.listOwnOrders.action, ORDER_BOOK))
        ? orderPage(dependencies, query, user.sub)
        : forbidden(),
    ),
    endpoint(routes.viewOrder, undefined, ({ params, principal }) =>
      withVisibleOrder(params['orderId'], principal, async (order) => ({
        status: 200,
        body: await orderDetails(dependencies, order.orderId),
      })),
    ),
    endpoint(routes.cancelOrder, undefined, ({ params, principal }) =>
      withVisibleOrder(params['orderId'], principal, async (order) =>
        (await may(principal, routes.cancelOrder.action, orderEntity(order)))
          ? answerOf(await cancelOrderCommand(order.orderId), 200, ORDER_FAILURE_STATUSES)
          : forbidden(),
      ),
    ),
  ],
  { logger, declared: routes },
);
