/** Where a payment for an order stands. */
export type PaymentStatus = 'CAPTURED' | 'FAILED' | 'REFUNDED';

export type RefundDecision =
  | { readonly refund: true }
  | { readonly refund: false; readonly why: 'NOTHING_CAPTURED' | 'ALREADY_REFUNDED' };

/**
 * What to do when an order is cancelled: refund only a captured payment, and only once. No
 * payment at all (cancelled before the charge) and a failed one have nothing to refund.
 *
 * @example
 * ```ts
 * refundDecision('CAPTURED'); // { refund: true }
 * refundDecision(undefined); // { refund: false, why: 'NOTHING_CAPTURED' }
 * ```
 */
export const refundDecision = (status: PaymentStatus | undefined): RefundDecision => {
  if (status === 'CAPTURED') return { refund: true };
  if (status === 'REFUNDED') return { refund: false, why: 'ALREADY_REFUNDED' };
  return { refund: false, why: 'NOTHING_CAPTURED' };
};
