import { OrderIdSchema } from '@shop/contracts';
import { found, invocationHandler } from '@shop/shared';
import { z } from 'zod';
import { orderDetails } from '../app/orderDetails.js';
import { dependencies } from './dependencies.js';

/** One order as Order keeps it, with what Payment says about its payment. */
export const handler = invocationHandler(
  z.object({ orderId: OrderIdSchema }),
  async ({ orderId }) => found(await orderDetails(dependencies, orderId), `Order ${orderId}`),
);
