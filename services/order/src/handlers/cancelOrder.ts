import { OrderIdSchema } from '@shop/contracts';
import { invocationHandler } from '@shop/shared';
import { z } from 'zod';
import { cancelOrderCommand } from './commands.js';

/** The customer cancels an order: pending or confirmed; stock is released and a charge refunded. */
export const handler = invocationHandler(z.object({ orderId: OrderIdSchema }), ({ orderId }) =>
  cancelOrderCommand(orderId),
);
