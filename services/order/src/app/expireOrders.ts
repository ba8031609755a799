import type { OrderId } from '@shop/contracts';
import type { Order } from '#domain/order.js';
import { changeOrderStatus } from './changeOrderStatus.js';
import type { OrderStateDependencies } from './ports.js';

export interface ExpireOrdersOptions {
  /** How many due orders one page holds. */
  readonly pageSize: number;
  /** How many pages one run reads at most; what is left waits for the next run. */
  readonly maxPages: number;
}

/** What one run of the expiry did. */
export interface ExpiryRun {
  /** The orders it cancelled as EXPIRED, each saved with its OrderCancelled. */
  readonly expired: readonly Order[];
  /** Due orders it left as they were: confirmed or cancelled before it read them again. */
  readonly unchanged: number;
  /** Orders it could not expire (an AWS error): the next run tries them again. */
  readonly failed: readonly { readonly orderId: OrderId; readonly error: unknown }[];
  /** Whether it stopped at `maxPages` with due orders left. */
  readonly more: boolean;
}

/**
 * Expires the orders still PENDING at their deadline: each one is read again and cancelled with
 * the reason `EXPIRED` and its OrderCancelled in one conditional write, so that Inventory releases
 * its stock and Payment voids or refunds its payment, as for a failed payment. Confirmation and
 * expiry race on the order's version: exactly one of them is saved, and the loser, reading again,
 * finds the order settled and changes nothing. Due orders are read a page at a time, at most
 * `maxPages` per run; one that fails to expire does not stop the others.
 *
 * @example
 * ```ts
 * const run = await expireOrders(dependencies, { pageSize: 25, maxPages: 20 });
 * run.expired.map((order) => order.orderId);
 * ```
 */
export const expireOrders = async (
  dependencies: OrderStateDependencies,
  options: ExpireOrdersOptions,
): Promise<ExpiryRun> => {
  const now = dependencies.now();
  const expired: Order[] = [];
  const failed: { orderId: OrderId; error: unknown }[] = [];
  let unchanged = 0;
  let after: string | undefined;
  for (let page = 0; page < options.maxPages; page++) {
    const due = await dependencies.orders.dueToExpire({ now, limit: options.pageSize, after });
    for (const orderId of due.orderIds) {
      try {
        const result = await changeOrderStatus(
          dependencies,
          orderId,
          { type: 'expire' },
          { correlationId: orderId, causationId: orderId },
        );
        if (result.ok) expired.push(result.order);
        else unchanged++;
      } catch (error) {
        failed.push({ orderId, error });
      }
    }
    after = due.after;
    if (after === undefined) return { expired, unchanged, failed, more: false };
  }
  return { expired, unchanged, failed, more: true };
};
