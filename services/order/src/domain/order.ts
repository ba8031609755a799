import {
  buildEvent,
  type CancellationReason,
  type CustomerId,
  type EventCause,
  type Money,
  OrderCancelledV1,
  OrderConfirmedV1,
  type OrderId,
  OrderPlacedV1,
  OrderPlacedV2,
  type OutgoingEvent,
  type Sku,
  type StockLine,
} from '@shop/contracts';
import {
  type IllegalTransitionError,
  nextStatus,
  type OrderCancellationReason,
  type OrderStatus,
  type OrderTransition,
} from './orderStatus.js';

export interface OrderLine extends StockLine {
  readonly unitPrice: Money;
}

/** An order as the Order service keeps it. `version` counts its changes (optimistic locking). */
export interface Order {
  readonly orderId: OrderId;
  readonly customerId: CustomerId;
  readonly lines: readonly OrderLine[];
  readonly total: Money;
  readonly status: OrderStatus;
  readonly cancellationReason?: OrderCancellationReason;
  /** What a payment captured that was not the order's total; the order was cancelled for it. */
  readonly mismatchedPayment?: Money;
  readonly placedAt: string;
  /**
   * Its deadline: still PENDING then, it expires (cancelled, `EXPIRED`). Set at placement from
   * the expiry setting of that moment, so a later change of the setting leaves it as it is.
   */
  readonly confirmBy: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** A state change and the events it causes, to be saved together. */
export interface OrderChange {
  readonly order: Order;
  readonly events: readonly OutgoingEvent[];
}

/** A product of the order is not in the catalogue. */
export class UnknownProductError extends Error {
  override readonly name = 'UnknownProductError';

  constructor(readonly skus: readonly Sku[]) {
    super(`Unknown product: ${skus.join(', ')}`);
  }
}

/** The products of one order are priced in more than one currency. */
export class MixedCurrencyError extends Error {
  override readonly name = 'MixedCurrencyError';

  constructor(readonly currencies: readonly string[]) {
    super(`An order is paid in one currency; these lines use ${currencies.join(', ')}`);
  }
}

/** Inventory said fewer units are available than the order asks for. */
export class OutOfStockError extends Error {
  override readonly name = 'OutOfStockError';

  constructor(readonly skus: readonly Sku[]) {
    super(`Not enough stock: ${skus.join(', ')}`);
  }
}

/** What Order knows of a product when it is ordered: its price and the units available. */
export interface CatalogueEntry {
  readonly unitPrice: Money;
  readonly available: number;
}

export interface PlaceOrderInput {
  readonly orderId: OrderId;
  readonly customerId: CustomerId;
  readonly lines: readonly StockLine[];
  readonly paymentToken: string;
  /** The ordered products as the catalogue has them now. */
  readonly catalogue: ReadonlyMap<Sku, CatalogueEntry>;
  /** How long it may stay PENDING before it expires, in seconds. */
  readonly expiresAfterSeconds: number;
}

/**
 * A new order, PENDING until `expiresAfterSeconds` from now at the latest, priced from the
 * catalogue, and the events it causes: OrderPlaced in both published versions (v1 for the
 * consumers that have not moved to v2 yet). The order id is the correlation id of everything
 * that follows. An order for more units than are available now is refused; one that passes may
 * still lose the race for the last units, which Inventory's reservation decides.
 *
 * @example
 * ```ts
 * const placed = placeOrder({ orderId, customerId, lines, paymentToken, catalogue, expiresAfterSeconds: 900 }, new Date());
 * if (placed.ok) placed.change.events.map((e) => e.detail.metadata.version); // [1, 2]
 * ```
 */
export const placeOrder = (
  input: PlaceOrderInput,
  now: Date,
):
  | { readonly ok: true; readonly change: OrderChange }
  | {
      readonly ok: false;
      readonly error: UnknownProductError | MixedCurrencyError | OutOfStockError;
    } => {
  const unknown = input.lines.filter((line) => !input.catalogue.has(line.sku)).map((l) => l.sku);
  if (unknown.length > 0) return { ok: false, error: new UnknownProductError(unknown) };
  const lines = input.lines.map((line) => ({
    sku: line.sku,
    quantity: line.quantity,
    unitPrice: (input.catalogue.get(line.sku) as CatalogueEntry).unitPrice,
  }));
  const wanted = new Map<Sku, number>();
  for (const line of lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity);
  const short = [...wanted].filter(
    ([sku, quantity]) => quantity > (input.catalogue.get(sku)?.available ?? 0),
  );
  if (short.length > 0) return { ok: false, error: new OutOfStockError(short.map(([sku]) => sku)) };
  const currencies = [...new Set(lines.map((line) => line.unitPrice.currency))];
  const [currency] = currencies;
  if (currency === undefined || currencies.length > 1) {
    return { ok: false, error: new MixedCurrencyError(currencies) };
  }
  const total: Money = {
    amountMinor: lines.reduce((sum, line) => sum + line.unitPrice.amountMinor * line.quantity, 0),
    currency,
  };
  const order: Order = {
    orderId: input.orderId,
    customerId: input.customerId,
    lines,
    total,
    status: 'PENDING',
    placedAt: now.toISOString(),
    confirmBy: new Date(now.getTime() + input.expiresAfterSeconds * 1000).toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
  const cause: EventCause = { correlationId: order.orderId, causationId: order.orderId };
  const options = { occurredAt: now };
  const common = { orderId: order.orderId, customerId: order.customerId };
  return {
    ok: true,
    change: {
      order,
      events: [
        buildEvent(
          OrderPlacedV1,
          {
            ...common,
            lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
            total: total.amountMinor / 100,
          },
          cause,
          options,
        ),
        buildEvent(
          OrderPlacedV2,
          { ...common, lines, total, paymentToken: input.paymentToken },
          cause,
          options,
        ),
      ],
    },
  };
};

/**
 * Payment captured `paid` for the order. It confirms the order only if `paid` is the order's
 * total, amount and currency; otherwise the order is cancelled (`PAYMENT_MISMATCH`), which makes
 * Payment refund the charge and Inventory release the stock, as for a failed payment.
 */
export interface PaymentCaptured {
  readonly type: 'paymentCaptured';
  readonly paid: Money;
}

/**
 * The order's deadline has come: it expires (cancelled, `EXPIRED`) if it is still PENDING. One
 * that was confirmed or cancelled first stays as it is, and one whose deadline has not come yet
 * is refused ({@link NotDueError}).
 */
export interface DeadlineReached {
  readonly type: 'expire';
}

/**
 * What can be asked of an order: a transition of its state machine, a captured payment to
 * judge, or its expiry.
 */
export type OrderChangeRequest = OrderTransition | PaymentCaptured | DeadlineReached;

/** An order was asked to expire before its deadline. */
export class NotDueError extends Error {
  override readonly name = 'NotDueError';

  constructor(readonly order: Pick<Order, 'orderId' | 'confirmBy'>) {
    super(`Order ${order.orderId} does not expire before ${order.confirmBy}`);
  }
}

/**
 * When an order expires if nothing settles it first: its deadline while it is PENDING, none
 * once it is confirmed or cancelled. Order's table indexes each order by it, so that the due
 * ones are found without reading the others.
 *
 * @example
 * ```ts
 * expiryDeadline(pending); // '2026-01-01T00:15:00.000Z'
 * expiryDeadline(confirmed); // undefined
 * ```
 */
export const expiryDeadline = (order: Order): string | undefined =>
  order.status === 'PENDING' ? order.confirmBy : undefined;

const sameMoney = (a: Money, b: Money): boolean =>
  a.amountMinor === b.amountMinor && a.currency === b.currency;

/**
 * The reason OrderCancelled v1 carries. Its enum cannot grow within the version (ADR 0002), and
 * every consumer does for a mismatched payment, and for an order that expired waiting for its
 * payment, what it does for a failed one (ADR 0013, ADR 0016).
 */
const publishedReason = (reason: OrderCancellationReason): CancellationReason =>
  reason === 'PAYMENT_MISMATCH' || reason === 'EXPIRED' ? 'PAYMENT_FAILED' : reason;

const transitionOf = (
  order: Order,
  request: OrderChangeRequest,
  now: Date,
): OrderTransition | NotDueError => {
  switch (request.type) {
    case 'paymentCaptured':
      return sameMoney(request.paid, order.total)
        ? { type: 'confirm' }
        : { type: 'cancel', reason: 'PAYMENT_MISMATCH' };
    case 'expire':
      return Date.parse(order.confirmBy) <= now.getTime()
        ? { type: 'cancel', reason: 'EXPIRED' }
        : new NotDueError(order);
    default:
      return request;
  }
};

/**
 * Applies a transition of the state machine and records the event it causes: OrderConfirmed,
 * or OrderCancelled with its reason. A captured payment confirms the order if it paid the total
 * and cancels it otherwise, recording what it paid. An expiry cancels a PENDING order whose
 * deadline has come; a confirmed order never expires.
 *
 * @example
 * ```ts
 * const changed = changeStatus(order, { type: 'paymentCaptured', paid }, causedBy(paymentSucceeded), new Date());
 * if (changed.ok) changed.change.order.status; // 'CONFIRMED', or 'CANCELLED' if paid is not the total
 * if (!changed.ok) changed.error; // IllegalTransitionError (or NotDueError for an early expiry)
 * ```
 */
export const changeStatus = (
  order: Order,
  request: OrderChangeRequest,
  cause: EventCause,
  now: Date,
):
  | { readonly ok: true; readonly change: OrderChange }
  | { readonly ok: false; readonly error: IllegalTransitionError | NotDueError } => {
  const transition = transitionOf(order, request, now);
  if (transition instanceof NotDueError) return { ok: false, error: transition };
  const next = nextStatus(order.status, transition);
  if (!next.ok) return next;
  const changed: Order = {
    ...order,
    status: next.status,
    ...(transition.type === 'cancel' && { cancellationReason: transition.reason }),
    ...(transition.type === 'cancel' &&
      request.type === 'paymentCaptured' && { mismatchedPayment: request.paid }),
    updatedAt: now.toISOString(),
    version: order.version + 1,
  };
  const common = { orderId: order.orderId, customerId: order.customerId };
  const event =
    transition.type === 'confirm'
      ? buildEvent(OrderConfirmedV1, common, cause, { occurredAt: now })
      : buildEvent(
          OrderCancelledV1,
          { ...common, reason: publishedReason(transition.reason) },
          cause,
          { occurredAt: now },
        );
  return { ok: true, change: { order: changed, events: [event] } };
};
