import type { OrderId, PaymentView } from '@shop/contracts';
import { QueryError } from '@shop/shared';
import type { Order } from '#domain/order.js';
import type { OrderDependencies } from './ports.js';

/**
 * An order with what Payment says about its payment: the payment's view, `NONE` while Payment has
 * not heard of the order, or `UNAVAILABLE` when Payment could not be asked (the order is still
 * shown).
 */
export type OrderDetails = Order & { readonly payment: PaymentView | 'NONE' | 'UNAVAILABLE' };

/**
 * One order and its payment status, or undefined if there is no such order.
 *
 * @example
 * ```ts
 * (await orderDetails(dependencies, orderId))?.payment; // { status: 'CAPTURED', ... }
 * ```
 */
export const orderDetails = async (
  dependencies: OrderDependencies,
  orderId: OrderId,
): Promise<OrderDetails | undefined> => {
  const order = await dependencies.orders.get(orderId);
  if (order === undefined) return undefined;
  try {
    return { ...order, payment: (await dependencies.payments.paymentOf(orderId)) ?? 'NONE' };
  } catch (error) {
    if (error instanceof QueryError) return { ...order, payment: 'UNAVAILABLE' };
    throw error;
  }
};
