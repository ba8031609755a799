import type { CustomerId, StockLine } from '@shop/contracts';
import {
  type MixedCurrencyError,
  type Order,
  type OutOfStockError,
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
 * Places an order: prices it and checks availability with Inventory's catalogue, saves it
 * PENDING with its OrderPlaced events in one write. The events leave through the outbox, never
 * before the order is saved. If the catalogue cannot be read, nothing is written.
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
  | {
      readonly ok: false;
      readonly error: UnknownProductError | MixedCurrencyError | OutOfStockError;
    }
> => {
  const catalogue = await dependencies.catalogue.entries(command.lines.map((line) => line.sku));
  const placed = place(
    { ...command, orderId: dependencies.newOrderId(), catalogue },
    dependencies.now(),
  );
  if (!placed.ok) return placed;
  await dependencies.orders.save(placed.change.order, placed.change.events);
  return { ok: true, order: placed.change.order };
};
