import type { CancellationReason } from '@shop/contracts';

/** The life of an order. PENDING until payment succeeds or the saga cancels it. */
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'CANCELLED';

/**
 * Why an order is cancelled: a reason OrderCancelled carries; `PAYMENT_MISMATCH`, a captured
 * payment that was not the order's total (docs/adr/0013); or `EXPIRED`, still PENDING at its
 * deadline (docs/adr/0016). Order keeps the last two and publishes both as `PAYMENT_FAILED`.
 */
export type OrderCancellationReason = CancellationReason | 'PAYMENT_MISMATCH' | 'EXPIRED';

/** What can happen to an order. */
export type OrderTransition =
  | { readonly type: 'confirm' }
  | { readonly type: 'cancel'; readonly reason: OrderCancellationReason };

/** The transition is not allowed from the order's current status. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly from: OrderStatus,
    readonly transition: OrderTransition,
  ) {
    super(
      `Cannot ${transition.type}${transition.type === 'cancel' ? ` (${transition.reason})` : ''} an order that is ${from}`,
    );
    this.name = 'IllegalTransitionError';
  }
}

export type TransitionResult =
  | { readonly ok: true; readonly status: OrderStatus }
  | { readonly ok: false; readonly error: IllegalTransitionError };

/**
 * The order state machine. A pending order is confirmed by a successful payment or cancelled
 * for any reason, its expiry included; a confirmed order can only be cancelled by its customer
 * (stock is released and the payment refunded), so it never expires; a cancelled order is final.
 *
 * @example
 * ```ts
 * nextStatus('PENDING', { type: 'confirm' }); // { ok: true, status: 'CONFIRMED' }
 * nextStatus('CANCELLED', { type: 'confirm' }).ok; // false
 * ```
 */
export const nextStatus = (from: OrderStatus, transition: OrderTransition): TransitionResult => {
  const allowed =
    (from === 'PENDING' && transition.type === 'confirm') ||
    (from === 'PENDING' && transition.type === 'cancel') ||
    (from === 'CONFIRMED' &&
      transition.type === 'cancel' &&
      transition.reason === 'CUSTOMER_REQUESTED');
  if (!allowed) return { ok: false, error: new IllegalTransitionError(from, transition) };
  return { ok: true, status: transition.type === 'confirm' ? 'CONFIRMED' : 'CANCELLED' };
};
