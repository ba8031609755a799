import type { OrderId } from '@shop/contracts';
import type { Order } from '#domain/order.js';
import type { OrderDependencies } from './ports.js';

/**
 * An order as one user may see it: the order, or undefined both when there is none and when the
 * user may not view it, so that an order id tells nothing to someone who may not see its order.
 * `mayView` asks the service's policies (Cedar `ViewOrder`).
 *
 * @example
 * ```ts
 * const order = await visibleOrder(dependencies, orderId, (o) => may(principal, 'ViewOrder', o));
 * if (order === undefined) return notFound(orderId);
 * ```
 */
export const visibleOrder = async (
  dependencies: Pick<OrderDependencies, 'orders'>,
  orderId: OrderId,
  mayView: (order: Order) => Promise<boolean>,
): Promise<Order | undefined> => {
  const order = await dependencies.orders.get(orderId);
  return order !== undefined && (await mayView(order)) ? order : undefined;
};
