import { OrderIdSchema } from '@shop/contracts';
import { failure, invocationHandler } from '@shop/shared';
import { z } from 'zod';
import { changeOrderStatus, OrderNotFoundError } from '../app/changeOrderStatus.js';
import { dependencies, logger } from './dependencies.js';

/** The customer cancels an order: pending or confirmed; stock is released and a charge refunded. */
export const handler = invocationHandler(
  z.object({ orderId: OrderIdSchema }),
  async ({ orderId }) => {
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
  },
);
