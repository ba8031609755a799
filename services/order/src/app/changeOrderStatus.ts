import type { EventCause, OrderId } from '@shop/contracts';
import { ConcurrentUpdateError, retry } from '@shop/shared';
import {
  changeStatus,
  type NotDueError,
  type Order,
  type OrderChangeRequest,
} from '#domain/order.js';
import type { IllegalTransitionError } from '#domain/orderStatus.js';
import type { OrderStateDependencies } from './ports.js';

/** No order has this id. */
export class OrderNotFoundError extends Error {
  constructor(readonly orderId: OrderId) {
    super(`Order ${orderId} not found`);
    this.name = 'OrderNotFoundError';
  }
}

export type ChangeOrderStatusResult =
  | { readonly ok: true; readonly order: Order }
  | {
      readonly ok: false;
      readonly error: OrderNotFoundError | IllegalTransitionError | NotDueError;
    };

/**
 * Moves an order through its state machine and saves it with the event the transition causes.
 * A concurrent change of the same order makes it re-read and decide again.
 *
 * @example
 * ```ts
 * await changeOrderStatus(dependencies, orderId, { type: 'paymentCaptured', paid }, causedBy(event));
 * ```
 */
export const changeOrderStatus = (
  dependencies: OrderStateDependencies,
  orderId: OrderId,
  request: OrderChangeRequest,
  cause: EventCause,
): Promise<ChangeOrderStatusResult> =>
  retry(
    async (): Promise<ChangeOrderStatusResult> => {
      const order = await dependencies.orders.get(orderId);
      if (order === undefined) return { ok: false, error: new OrderNotFoundError(orderId) };
      const changed = changeStatus(order, request, cause, dependencies.now());
      if (!changed.ok) return changed;
      await dependencies.orders.save(changed.change.order, changed.change.events);
      return { ok: true, order: changed.change.order };
    },
    { retryable: (error) => error instanceof ConcurrentUpdateError },
  );
