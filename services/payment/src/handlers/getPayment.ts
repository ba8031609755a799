import { OrderIdSchema } from '@shop/contracts';
import { failure, invocationHandler } from '@shop/shared';
import { z } from 'zod';
import { dependencies } from './dependencies.js';

/** The payment of one order: its status, amount and ids, never the card token. */
export const handler = invocationHandler(
  z.object({ orderId: OrderIdSchema }),
  async ({ orderId }) => {
    const payment = await dependencies.payments.get(orderId);
    if (payment === undefined) return failure('NOT_FOUND', `No payment for order ${orderId}`);
    const { paymentToken: _secret, ...visible } = payment;
    return { ok: true, value: visible };
  },
);
