import { CustomerIdSchema, StockLineSchema } from '@shop/contracts';
import { failure, invocationHandler, QueryError } from '@shop/shared';
import { z } from 'zod';
import { placeOrder } from '../app/placeOrder.js';
import { dependencies, logger } from './dependencies.js';

export const PlaceOrderRequestSchema = z.object({
  customerId: CustomerIdSchema,
  lines: z.array(StockLineSchema).min(1).max(25),
  paymentToken: z.string().min(1).max(256),
});

const FAILURE_CODES = {
  UnknownProductError: 'UNKNOWN_PRODUCT',
  MixedCurrencyError: 'MIXED_CURRENCY',
  OutOfStockError: 'OUT_OF_STOCK',
} as const;

/**
 * Places an order; answers the PENDING order, why it cannot be placed, or `SERVICE_UNAVAILABLE`
 * (nothing written) when Inventory cannot be asked for prices and stock.
 */
export const handler = invocationHandler(PlaceOrderRequestSchema, async (request) => {
  try {
    const result = await placeOrder(dependencies, request);
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
});
