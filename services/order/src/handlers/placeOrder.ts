import { CustomerIdSchema, StockLineSchema } from '@shop/contracts';
import { failure, invocationHandler } from '@shop/shared';
import { z } from 'zod';
import { placeOrder } from '../app/placeOrder.js';
import { dependencies, logger } from './dependencies.js';

export const PlaceOrderRequestSchema = z.object({
  customerId: CustomerIdSchema,
  lines: z.array(StockLineSchema).min(1).max(25),
  paymentToken: z.string().min(1).max(256),
});

/** Places an order; answers the PENDING order, or why it cannot be placed. */
export const handler = invocationHandler(PlaceOrderRequestSchema, async (request) => {
  const result = await placeOrder(dependencies, request);
  if (!result.ok) {
    return failure(
      result.error.name === 'UnknownProductError' ? 'UNKNOWN_PRODUCT' : 'MIXED_CURRENCY',
      result.error.message,
    );
  }
  logger.info('Order placed', { correlation_id: result.order.orderId, total: result.order.total });
  return { ok: true, value: result.order };
});
