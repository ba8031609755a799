import {
  buildEvent,
  type CustomerId,
  type EventCause,
  type Money,
  type OrderId,
  type OutgoingEvent,
  PaymentFailedV1,
  type PaymentFailureReason,
  PaymentRefundedV1,
  type PaymentStatusView,
  PaymentSucceededV1,
} from '@shop/contracts';

/**
 * Where the payment of one order stands. AWAITING collects what a charge needs (the order's
 * amount and token from OrderPlaced, the stock held from InventoryReserved), in whatever order
 * they arrive; CHARGING is claimed by exactly one handler before the processor is called;
 * CAPTURED, FAILED, REFUNDED are outcomes; VOIDED means the order was cancelled before any charge.
 */
export type PaymentStatus = PaymentStatusView;

export interface Payment {
  readonly orderId: OrderId;
  readonly status: PaymentStatus;
  readonly customerId?: CustomerId;
  readonly amount?: Money;
  /**
   * The card token, kept only until the charge is decided: never in CAPTURED, FAILED, VOIDED or
   * REFUNDED.
   */
  readonly paymentToken?: string;
  readonly inventoryReserved: boolean;
  /** Our id of the payment, chosen when the charge is claimed. */
  readonly paymentId?: string;
  /** The processor's id of the captured charge. */
  readonly chargeId?: string;
  readonly failureReason?: PaymentFailureReason;
  /** The order was cancelled while its charge was in flight: refund it as soon as it captures. */
  readonly cancelRequested?: boolean;
  readonly updatedAt: string;
  /** Counts saved changes; 0 for a payment never saved (optimistic locking). */
  readonly version: number;
}

/** A payment's new state and the events it causes, to be saved together. */
export interface PaymentChange {
  readonly payment: Payment;
  readonly events: readonly OutgoingEvent[];
}

/** What the processor answered to a charge. */
export type ChargeOutcome =
  | { readonly outcome: 'captured'; readonly chargeId: string }
  | { readonly outcome: 'failed'; readonly reason: PaymentFailureReason };

/** A payment in a status that needs a field it does not have: a bug, never a business case. */
export class PaymentInvariantError extends Error {
  constructor(payment: Payment, missing: string) {
    super(`Payment of order ${payment.orderId} is ${payment.status} without ${missing}`);
    this.name = 'PaymentInvariantError';
  }
}

/** The statuses in which the charge is decided: the card token is never needed again. */
const CHARGE_DECIDED: ReadonlySet<PaymentStatus> = new Set([
  'CAPTURED',
  'FAILED',
  'VOIDED',
  'REFUNDED',
]);

/** The payment's next state; the card token goes as soon as the charge is decided. */
const next = (payment: Payment, fields: Partial<Payment>, now: Date): Payment => {
  const { paymentToken, ...changed } = {
    ...payment,
    ...fields,
    updatedAt: now.toISOString(),
    version: payment.version + 1,
  };
  return paymentToken === undefined || CHARGE_DECIDED.has(changed.status)
    ? changed
    : { ...changed, paymentToken };
};

const claimed = (payment: Payment): { paymentId: string; amount: Money } => {
  if (payment.paymentId === undefined) throw new PaymentInvariantError(payment, 'a payment id');
  if (payment.amount === undefined) throw new PaymentInvariantError(payment, 'an amount');
  return { paymentId: payment.paymentId, amount: payment.amount };
};

/** A payment nothing is known about yet. */
export const newPayment = (orderId: OrderId, now: Date): Payment => ({
  orderId,
  status: 'AWAITING',
  inventoryReserved: false,
  updatedAt: now.toISOString(),
  version: 0,
});

/**
 * Records what OrderPlaced says about the charge. `undefined` when nothing changes (already
 * known, or the order was cancelled first).
 *
 * @example
 * ```ts
 * recordOrder(newPayment(orderId, now), { customerId, amount, paymentToken }, now)?.amount;
 * ```
 */
export const recordOrder = (
  payment: Payment,
  order: { readonly customerId: CustomerId; readonly amount: Money; readonly paymentToken: string },
  now: Date,
): Payment | undefined =>
  payment.status !== 'AWAITING' || payment.amount !== undefined
    ? undefined
    : next(payment, order, now);

/** Records that the order's stock is held. `undefined` when nothing changes. */
export const recordReservation = (payment: Payment, now: Date): Payment | undefined =>
  payment.status !== 'AWAITING' || payment.inventoryReserved
    ? undefined
    : next(payment, { inventoryReserved: true }, now);

/** Whether everything a charge needs is known and nobody has claimed it. */
export const readyToCharge = (payment: Payment): boolean =>
  payment.status === 'AWAITING' &&
  payment.inventoryReserved &&
  payment.amount !== undefined &&
  payment.paymentToken !== undefined;

/**
 * Whether a captured charge must still be refunded: its order was cancelled while it was in
 * flight, and no refund has completed yet (the first attempt may have failed).
 */
export const refundDue = (payment: Payment): boolean =>
  payment.status === 'CAPTURED' && payment.cancelRequested === true;

/** Claims the charge: saved only by the one handler whose read is still current. */
export const startCharge = (payment: Payment, paymentId: string, now: Date): Payment =>
  next(payment, { status: 'CHARGING', paymentId }, now);

/**
 * Settles a claimed charge with the processor's answer: PaymentSucceeded, or PaymentFailed
 * with the reason. The token is forgotten either way.
 *
 * @example
 * ```ts
 * completeCharge(charging, { outcome: 'failed', reason: 'CARD_DECLINED' }, cause, now).payment.status; // 'FAILED'
 * ```
 */
export const completeCharge = (
  payment: Payment,
  result: ChargeOutcome,
  cause: EventCause,
  now: Date,
): PaymentChange => {
  const options = { occurredAt: now };
  if (result.outcome === 'failed') {
    return {
      payment: next(payment, { status: 'FAILED', failureReason: result.reason }, now),
      events: [
        buildEvent(
          PaymentFailedV1,
          { orderId: payment.orderId, reason: result.reason },
          cause,
          options,
        ),
      ],
    };
  }
  return {
    payment: next(payment, { status: 'CAPTURED', chargeId: result.chargeId }, now),
    events: [
      buildEvent(
        PaymentSucceededV1,
        { orderId: payment.orderId, ...claimed(payment) },
        cause,
        options,
      ),
    ],
  };
};

/** What an order's cancellation asks of its payment. */
export type CancellationDecision =
  | { readonly action: 'void'; readonly payment: Payment }
  | { readonly action: 'refund'; readonly payment: Payment }
  | { readonly action: 'flag'; readonly payment: Payment }
  | {
      readonly action: 'none';
      readonly why: 'NOTHING_CAPTURED' | 'ALREADY_REFUNDED' | 'REFUND_PENDING';
    };

/**
 * Decides what to do when an order is cancelled: refund a captured charge, once; void a payment
 * not charged yet so that it never is; flag a charge in flight, to be refunded when it captures.
 *
 * @example
 * ```ts
 * onCancellation(captured, orderId, now).action; // 'refund'
 * onCancellation(undefined, orderId, now).action; // 'void' (cancelled before anything was known)
 * ```
 */
export const onCancellation = (
  payment: Payment | undefined,
  orderId: OrderId,
  now: Date,
): CancellationDecision => {
  const current = payment ?? newPayment(orderId, now);
  switch (current.status) {
    case 'AWAITING':
      return { action: 'void', payment: next(current, { status: 'VOIDED' }, now) };
    case 'CHARGING':
      return current.cancelRequested
        ? { action: 'none', why: 'REFUND_PENDING' }
        : { action: 'flag', payment: next(current, { cancelRequested: true }, now) };
    case 'CAPTURED':
      return { action: 'refund', payment: current };
    case 'REFUNDED':
      return { action: 'none', why: 'ALREADY_REFUNDED' };
    case 'FAILED':
    case 'VOIDED':
      return { action: 'none', why: 'NOTHING_CAPTURED' };
  }
};

/** Records a completed refund of the whole captured amount: PaymentRefunded. */
export const completeRefund = (payment: Payment, cause: EventCause, now: Date): PaymentChange => ({
  payment: next(payment, { status: 'REFUNDED' }, now),
  events: [
    buildEvent(PaymentRefundedV1, { orderId: payment.orderId, ...claimed(payment) }, cause, {
      occurredAt: now,
    }),
  ],
});

/**
 * The processor request that charges an order: keyed on the order, so however often it is sent
 * the customer is charged at most once.
 */
export const chargeRequest = (payment: Payment) => {
  if (payment.paymentToken === undefined) throw new PaymentInvariantError(payment, 'a token');
  return {
    idempotencyKey: `charge-${payment.orderId}`,
    token: payment.paymentToken,
    amount: claimed(payment).amount,
    reference: payment.orderId,
  };
};

/** The processor request that refunds an order's charge in full, at most once. */
export const refundRequest = (payment: Payment) => {
  if (payment.chargeId === undefined) throw new PaymentInvariantError(payment, 'a charge id');
  return {
    idempotencyKey: `refund-${payment.orderId}`,
    chargeId: payment.chargeId,
    amount: claimed(payment).amount,
  };
};
