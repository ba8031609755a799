import {
  buildEvent,
  type EventCause,
  InventoryReleasedV1,
  InventoryReservationFailedV1,
  InventoryReservedV1,
  type OrderId,
  type OutgoingEvent,
  type Sku,
  type StockLine,
} from '@shop/contracts';
import { planReservation } from './planReservation.js';

/**
 * Where the stock of one order stands. RESERVED holds it; COMMITTED sold it (order confirmed);
 * RELEASED gave it back (order cancelled); REJECTED never held any; VOIDED marks an order
 * cancelled before its reservation arrived, so a late OrderPlaced reserves nothing.
 */
export type ReservationStatus = 'RESERVED' | 'COMMITTED' | 'RELEASED' | 'REJECTED' | 'VOIDED';

export interface Reservation {
  readonly orderId: OrderId;
  readonly lines: readonly StockLine[];
  readonly status: ReservationStatus;
  readonly updatedAt: string;
}

/** A change of one product's counters: units that can be reserved, and units held. */
export interface StockDelta {
  readonly sku: Sku;
  readonly available: number;
  readonly reserved: number;
}

/**
 * A decided change: the reservation's new state (saved only if it is still at
 * `previousStatus`), the stock counters it moves (never below zero) and the events it causes.
 */
export interface ReservationChange {
  readonly reservation: Reservation;
  readonly previousStatus: ReservationStatus | undefined;
  readonly stock: readonly StockDelta[];
  readonly events: readonly OutgoingEvent[];
}

/**
 * Reacts to an order being placed: reserves every line at once or none, and says which lines
 * cannot be served. Nothing changes for an order already handled (a redelivery) or voided.
 *
 * @example
 * ```ts
 * const change = reserve(undefined, new Map([['MUG-001', 5]]), { orderId, lines }, cause, now);
 * change?.reservation.status; // 'RESERVED'
 * ```
 */
export const reserve = (
  existing: Reservation | undefined,
  available: ReadonlyMap<Sku, number>,
  order: { readonly orderId: OrderId; readonly lines: readonly StockLine[] },
  cause: EventCause,
  now: Date,
): ReservationChange | undefined => {
  if (existing !== undefined) return undefined;
  const plan = planReservation(available, order.lines);
  const options = { occurredAt: now };
  if (!plan.ok) {
    return {
      reservation: {
        orderId: order.orderId,
        lines: order.lines,
        status: 'REJECTED',
        updatedAt: now.toISOString(),
      },
      previousStatus: undefined,
      stock: [],
      events: [
        buildEvent(
          InventoryReservationFailedV1,
          { orderId: order.orderId, reason: plan.reason, unavailable: [...plan.unavailable] },
          cause,
          options,
        ),
      ],
    };
  }
  return {
    reservation: {
      orderId: order.orderId,
      lines: plan.lines,
      status: 'RESERVED',
      updatedAt: now.toISOString(),
    },
    previousStatus: undefined,
    stock: plan.lines.map((line) => ({
      sku: line.sku,
      available: -line.quantity,
      reserved: line.quantity,
    })),
    events: [
      buildEvent(
        InventoryReservedV1,
        { orderId: order.orderId, lines: [...plan.lines] },
        cause,
        options,
      ),
    ],
  };
};

/**
 * Reacts to a confirmed order: the held units are sold. `undefined` when there is nothing to do
 * (already committed, or released).
 *
 * @example
 * ```ts
 * commit(reservation, now)?.reservation.status; // 'COMMITTED'
 * ```
 */
export const commit = (existing: Reservation, now: Date): ReservationChange | undefined => {
  if (existing.status !== 'RESERVED') return undefined;
  return {
    reservation: { ...existing, status: 'COMMITTED', updatedAt: now.toISOString() },
    previousStatus: existing.status,
    stock: existing.lines.map((line) => ({
      sku: line.sku,
      available: 0,
      reserved: -line.quantity,
    })),
    events: [],
  };
};

/**
 * Reacts to a cancelled order: held or sold units go back to stock (InventoryReleased). An
 * order with no reservation yet is voided, so its late OrderPlaced reserves nothing.
 *
 * @example
 * ```ts
 * release(undefined, orderId, cause, now)?.reservation.status; // 'VOIDED'
 * ```
 */
export const release = (
  existing: Reservation | undefined,
  orderId: OrderId,
  cause: EventCause,
  now: Date,
): ReservationChange | undefined => {
  if (existing === undefined) {
    return {
      reservation: { orderId, lines: [], status: 'VOIDED', updatedAt: now.toISOString() },
      previousStatus: undefined,
      stock: [],
      events: [],
    };
  }
  if (existing.status !== 'RESERVED' && existing.status !== 'COMMITTED') return undefined;
  const held = existing.status === 'RESERVED';
  return {
    reservation: { ...existing, status: 'RELEASED', updatedAt: now.toISOString() },
    previousStatus: existing.status,
    stock: existing.lines.map((line) => ({
      sku: line.sku,
      available: line.quantity,
      reserved: held ? -line.quantity : 0,
    })),
    events: [
      buildEvent(InventoryReleasedV1, { orderId, lines: [...existing.lines] }, cause, {
        occurredAt: now,
      }),
    ],
  };
};
