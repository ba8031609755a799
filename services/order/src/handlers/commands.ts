import type { OrderId } from '@shop/contracts';
import { type FailureStatuses, failure, type InvocationResult, QueryError } from '@shop/shared';
import type { Order } from '#domain/order.js';
import { changeOrderStatus, OrderNotFoundError } from '../app/changeOrderStatus.js';
import { type PlaceOrderCommand, placeOrder } from '../app/placeOrder.js';
import { dependencies } from './apiDependencies.js';
import { logger } from './dependencies.js';

/**
 * Order's own failure codes, each with the HTTP status its REST API answers. The generic codes
 * (VALIDATION_FAILED, NOT_FOUND, SERVICE_UNAVAILABLE) have the shared kit's statuses.
 *
 * @example
 * ```ts
 * answerOf(await placeOrderCommand(command), 201, ORDER_FAILURE_STATUSES); // OUT_OF_STOCK: 409
 * ```
 */
export const ORDER_FAILURE_STATUSES = {
  UNKNOWN_PRODUCT: 422,
  MIXED_CURRENCY: 422,
  OUT_OF_STOCK: 409,
  ILLEGAL_TRANSITION: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
} as const satisfies FailureStatuses;

type OrderFailureCode = keyof typeof ORDER_FAILURE_STATUSES;

const CODE_OF_PLACE_ORDER_ERROR = {
  UnknownProductError: 'UNKNOWN_PRODUCT',
  MixedCurrencyError: 'MIXED_CURRENCY',
  OutOfStockError: 'OUT_OF_STOCK',
  IdempotencyKeyReusedError: 'IDEMPOTENCY_KEY_REUSED',
} as const satisfies Record<string, OrderFailureCode>;

/** A failure with one of Order's own codes, so every code it answers has its status above. */
const orderFailure = (code: OrderFailureCode, message: string) => failure(code, message);

/**
 * Places an order: the PENDING order (with an idempotency key, the order placed with it, if
 * any), why it cannot be placed, or `SERVICE_UNAVAILABLE` (nothing written) when Inventory cannot
 * be asked for prices and stock.
 */
export const placeOrderCommand = async (
  command: PlaceOrderCommand,
): Promise<InvocationResult<Order>> => {
  try {
    const result = await placeOrder(dependencies, command);
    if (!result.ok) {
      return orderFailure(CODE_OF_PLACE_ORDER_ERROR[result.error.name], result.error.message);
    }
    logger.info('Order placed', {
      correlation_id: result.order.orderId,
      total: result.order.total,
    });
    return { ok: true, value: result.order };
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    logger.warn('Inventory could not be asked; nothing was written', { error });
    return failure('SERVICE_UNAVAILABLE', 'The catalogue cannot be read now; try again');
  }
};

/** The customer cancels an order: pending or confirmed; stock is released and a charge refunded. */
export const cancelOrderCommand = async (orderId: OrderId): Promise<InvocationResult<Order>> => {
  const result = await changeOrderStatus(
    dependencies,
    orderId,
    { type: 'cancel', reason: 'CUSTOMER_REQUESTED' },
    { correlationId: orderId, causationId: orderId },
  );
  if (!result.ok) {
    return result.error instanceof OrderNotFoundError
      ? failure('NOT_FOUND', result.error.message)
      : orderFailure('ILLEGAL_TRANSITION', result.error.message);
  }
  logger.info('Order cancelled by the customer', { correlation_id: orderId });
  return { ok: true, value: result.order };
};
