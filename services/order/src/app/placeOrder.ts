import type { CustomerId, StockLine } from '@shop/contracts';
import {
  type MixedCurrencyError,
  type Order,
  placeOrder as place,
  type UnknownProductError,
} from '#domain/order.js';
import type { OrderDependencies } from './ports.js';

export interface PlaceOrderCommand {
  readonly customerId: CustomerId;
  readonly lines: readonly StockLine[];
  readonly paymentToken: string;
}

/**
 * Places an order: prices it, saves it PENDING with its OrderPlaced events in one write. The
 * events leave through the outbox, never before the order is saved.
 *
 * @example
 * ```ts
 * const result = await placeOrder(dependencies, { customerId, lines, paymentToken: 'tok_success' });
 * ```
 */
export const placeOrder = async (
  dependencies: OrderDependencies,
  command: PlaceOrderCommand,
): Promise<
  | { readonly ok: true; readonly order: Order }
  | { readonly ok: false; readonly error: UnknownProductError | MixedCurrencyError }
> => {
  const prices = await dependencies.priceList.prices(command.lines.map((line) => line.sku));
  const placed = place(
    { ...command, orderId: dependencies.newOrderId(), prices },
    dependencies.now(),
  );
  if (!placed.ok) return placed;
  await dependencies.orders.save(placed.change.order, placed.change.events);
  return { ok: true, order: placed.change.order };
};
