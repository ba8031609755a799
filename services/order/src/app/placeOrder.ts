import { createHash } from 'node:crypto';
import type { CustomerId, OrderId, StockLine } from '@shop/contracts';
import { ConcurrentUpdateError } from '@shop/shared';
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
  /**
   * The customer's `Idempotency-Key`: every placement with it is one order, whose id it gives.
   * @default none: a new order with a new id
   */
  readonly idempotencyKey?: string | undefined;
}

/** The customer's idempotency key was used for an order of other lines. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';

  constructor(readonly idempotencyKey: string) {
    super(
      `Idempotency-Key ${idempotencyKey} was used for another order; use a new key for a new order`,
    );
  }
}

/** Order's namespace of name-based order ids (a UUID of its own). */
const KEYED_ORDER_IDS = Buffer.from('5d1c8a4e2f7b4c0e9a3d6b8f1e2c4a7d', 'hex');

/**
 * The id of the order a customer places with an idempotency key: a name-based UUID (version 5,
 * RFC 9562) of the customer and the key, the same on every retry and another for anyone else,
 * and never a random (version 4) id of an order placed without a key.
 */
const keyedOrderId = (customerId: CustomerId, key: string): OrderId => {
  const hash = createHash('sha1')
    .update(KEYED_ORDER_IDS)
    .update(JSON.stringify([customerId, key]))
    .digest()
    .subarray(0, 16);
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x50, 6);
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

type PlaceOrderResult =
  | { readonly ok: true; readonly order: Order }
  | {
      readonly ok: false;
      readonly error:
        | UnknownProductError
        | MixedCurrencyError
        | OutOfStockError
        | IdempotencyKeyReusedError;
    };

const sameLines = (order: Order, lines: readonly StockLine[]): boolean =>
  order.lines.length === lines.length &&
  order.lines.every(
    (line, index) => line.sku === lines[index]?.sku && line.quantity === lines[index]?.quantity,
  );

/** The order placed earlier with the key, if any: the answer to this placement too. */
const placedEarlier = async (
  dependencies: OrderDependencies,
  orderId: OrderId,
  lines: readonly StockLine[],
  key: string,
): Promise<PlaceOrderResult | undefined> => {
  const earlier = await dependencies.orders.get(orderId);
  if (earlier === undefined) return undefined;
  return sameLines(earlier, lines)
    ? { ok: true, order: earlier }
    : { ok: false, error: new IdempotencyKeyReusedError(key) };
};

/**
 * Places an order: prices it and checks availability with Inventory's catalogue, saves it
 * PENDING (until it expires, `orderExpirySeconds` from now) with its OrderPlaced events in one
 * write. The events leave through the outbox, never
 * before the order is saved. If the catalogue cannot be read, nothing is written.
 *
 * With an idempotency key, the order's id comes from the customer and the key, so the key places
 * one order however often it is sent: a placement whose order exists answers that order (or
 * {@link IdempotencyKeyReusedError} if it was for other lines) and writes nothing.
 *
 * @example
 * ```ts
 * const result = await placeOrder(dependencies, { customerId, lines, paymentToken: 'tok_success' });
 * ```
 */
export const placeOrder = async (
  dependencies: OrderDependencies,
  command: PlaceOrderCommand,
): Promise<PlaceOrderResult> => {
  const key = command.idempotencyKey;
  const orderId =
    key === undefined ? dependencies.newOrderId() : keyedOrderId(command.customerId, key);
  const earlier =
    key === undefined ? undefined : await placedEarlier(dependencies, orderId, command.lines, key);
  if (earlier) return earlier;
  const catalogue = await dependencies.catalogue.entries(command.lines.map((line) => line.sku));
  const placed = place(
    { ...command, orderId, catalogue, expiresAfterSeconds: dependencies.orderExpirySeconds },
    dependencies.now(),
  );
  if (!placed.ok) return placed;
  try {
    await dependencies.orders.save(placed.change.order, placed.change.events);
  } catch (error) {
    // A placement with the same key, run at the same time, saved its order first.
    const winner =
      key !== undefined && error instanceof ConcurrentUpdateError
        ? await placedEarlier(dependencies, orderId, command.lines, key)
        : undefined;
    if (winner) return winner;
    throw error;
  }
  return { ok: true, order: placed.change.order };
};
