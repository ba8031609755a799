import { OrderIdSchema } from '@shop/contracts';
import { failure, invocationHandler } from '@shop/shared';
import { z } from 'zod';
import { dependencies } from './dependencies.js';

/** One order, as Order keeps it. */
export const handler = invocationHandler(
  z.object({ orderId: OrderIdSchema }),
  async ({ orderId }) => {
    const order = await dependencies.orders.get(orderId);
    return order === undefined
      ? failure('NOT_FOUND', `Order ${orderId} not found`)
      : { ok: true, value: order };
  },
);
