import type { OrderId } from '@shop/contracts';
import { failure, type InvocationResult, QueryError } from '@shop/shared';
import type { Order } from '#domain/order.js';
import { changeOrderStatus, OrderNotFoundError } from '../app/changeOrderStatus.js';
import { type PlaceOrderCommand, placeOrder } from '../app/placeOrder.js';
import { dependencies, logger } from './dependencies.js';

const FAILURE_CODES = {
  UnknownProductError: 'UNKNOWN_PRODUCT',
  MixedCurrencyError: 'MIXED_CURRENCY',
  OutOfStockError: 'OUT_OF_STOCK',
} as const;

/**
 * Places an order: the PENDING order, why it cannot be placed, or `SERVICE_UNAVAILABLE` (nothing
 * written) when Inventory cannot be asked for prices and stock. Both entry points (the invoked
 * function and the customer API) use it.
 */
export const placeOrderCommand = async (
  command: PlaceOrderCommand,
): Promise<InvocationResult<Order>> => {
  try {
    const result = await placeOrder(dependencies, command);
    if (!result.ok) return failure(FAILURE_CODES[result.error.name], result.error.message);
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
      : failure('ILLEGAL_TRANSITION', result.error.message);
  }
  logger.info('Order cancelled by the customer', { correlation_id: orderId });
  return { ok: true, value: result.order };
};
