import { describe, expect, it } from 'vitest';
import {
  chargeRequest,
  completeCharge,
  completeRefund,
  newPayment,
  onCancellation,
  type Payment,
  PaymentInvariantError,
  readyToCharge,
  recordOrder,
  recordReservation,
  refundDue,
  startCharge,
} from '#domain/payment.js';

const orderId = '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f';
const paymentId = '6f5e4d3c-2b1a-4f9e-8d7c-6b5a4f3e2d1c';
const now = new Date('2026-01-01T00:00:00Z');
const cause = { correlationId: orderId, causationId: 'event-1' };
const order = {
  customerId: 'c-1',
  amount: { amountMinor: 2598, currency: 'EUR' as const },
  paymentToken: 'tok_success',
};

const ready = (): Payment => {
  const placed = recordOrder(newPayment(orderId, now), order, now);
  if (placed === undefined) throw new Error('not recorded');
  const reserved = recordReservation(placed, now);
  if (reserved === undefined) throw new Error('not recorded');
  return reserved;
};

const captured = (): Payment =>
  completeCharge(
    startCharge(ready(), paymentId, now),
    { outcome: 'captured', chargeId: 'ch_1' },
    cause,
    now,
  ).payment;

describe('collecting what a charge needs', () => {
  it('is ready only once both the order and the reservation are known, in either order', () => {
    const onlyReserved = recordReservation(newPayment(orderId, now), now);
    const onlyPlaced = recordOrder(newPayment(orderId, now), order, now);

    expect(onlyReserved && readyToCharge(onlyReserved)).toBe(false);
    expect(onlyPlaced && readyToCharge(onlyPlaced)).toBe(false);
    expect(readyToCharge(ready())).toBe(true);
    const both = onlyReserved && recordOrder(onlyReserved, order, now);
    expect(both && readyToCharge(both)).toBe(true);
  });

  it('changes nothing when a fact is recorded again', () => {
    expect(recordOrder(ready(), order, now)).toBeUndefined();
    expect(recordReservation(ready(), now)).toBeUndefined();
  });

  it('is not ready again once claimed', () => {
    const charging = startCharge(ready(), paymentId, now);

    expect(charging).toMatchObject({ status: 'CHARGING', paymentId, version: 3 });
    expect(readyToCharge(charging)).toBe(false);
  });
});

describe('charging', () => {
  it('asks the processor with the order as idempotency key', () => {
    expect(chargeRequest(startCharge(ready(), paymentId, now))).toEqual({
      idempotencyKey: `charge-${orderId}`,
      token: 'tok_success',
      amount: order.amount,
      reference: orderId,
    });
  });

  it('records a capture as PaymentSucceeded and forgets the token', () => {
    const change = completeCharge(
      startCharge(ready(), paymentId, now),
      { outcome: 'captured', chargeId: 'ch_1' },
      cause,
      now,
    );

    expect(change.payment).toMatchObject({ status: 'CAPTURED', chargeId: 'ch_1' });
    expect(change.payment.paymentToken).toBeUndefined();
    expect(change.events.map((e) => [e.detailType, e.detail.data])).toEqual([
      ['PaymentSucceeded', { orderId, paymentId, amount: order.amount }],
    ]);
  });

  it('records a refusal as PaymentFailed with its reason', () => {
    const change = completeCharge(
      startCharge(ready(), paymentId, now),
      { outcome: 'failed', reason: 'INSUFFICIENT_FUNDS' },
      cause,
      now,
    );

    expect(change.payment).toMatchObject({ status: 'FAILED', failureReason: 'INSUFFICIENT_FUNDS' });
    expect(change.events.map((e) => e.detail.data)).toEqual([
      { orderId, reason: 'INSUFFICIENT_FUNDS' },
    ]);
  });

  it('refuses to build a success for a payment that was never claimed', () => {
    expect(() =>
      completeCharge(ready(), { outcome: 'captured', chargeId: 'ch_1' }, cause, now),
    ).toThrow(PaymentInvariantError);
  });
});

describe('onCancellation', () => {
  const cases: [string, () => Payment | undefined, string][] = [
    ['nothing known yet', () => undefined, 'void'],
    ['awaiting', ready, 'void'],
    ['charging', () => startCharge(ready(), paymentId, now), 'flag'],
    ['captured', captured, 'refund'],
    ['refunded', () => completeRefund(captured(), cause, now).payment, 'none'],
  ];
  it.each(cases)('%s -> %s', (_, payment, action) => {
    expect(onCancellation(payment(), orderId, now).action).toBe(action);
  });

  it('voids a payment so that it is never charged', () => {
    const decision = onCancellation(undefined, orderId, now);
    const voided = decision.action === 'void' ? decision.payment : undefined;

    expect(voided).toMatchObject({ status: 'VOIDED', version: 1 });
    expect(voided && recordOrder(voided, order, now)).toBeUndefined();
  });

  it('voids a payment whose order is known and forgets its card token', () => {
    const decision = onCancellation(ready(), orderId, now);

    expect(decision.action === 'void' && decision.payment).toMatchObject({ status: 'VOIDED' });
    expect(decision.action === 'void' && decision.payment).not.toHaveProperty('paymentToken');
  });

  it('keeps the card token of a charge in flight when its order is cancelled: it may be resumed', () => {
    const decision = onCancellation(startCharge(ready(), paymentId, now), orderId, now);

    expect(decision.action === 'flag' && decision.payment).toMatchObject({
      status: 'CHARGING',
      paymentToken: 'tok_success',
    });
  });

  it('never keeps a card token once the charge is decided, whatever the payment held', () => {
    const refunded = completeRefund({ ...captured(), paymentToken: 'tok_success' }, cause, now);

    expect(refunded.payment).toMatchObject({ status: 'REFUNDED' });
    expect(refunded.payment).not.toHaveProperty('paymentToken');
  });

  it('owes a refund for a charge that captured after its order was cancelled, until it is refunded', () => {
    const flagged = onCancellation(startCharge(ready(), paymentId, now), orderId, now);
    const inFlight = flagged.action === 'flag' ? flagged.payment : ready();
    const capturedAfterCancel = completeCharge(
      inFlight,
      { outcome: 'captured', chargeId: 'ch_1' },
      cause,
      now,
    ).payment;

    expect(refundDue(captured())).toBe(false);
    expect(refundDue(capturedAfterCancel)).toBe(true);
    expect(refundDue(completeRefund(capturedAfterCancel, cause, now).payment)).toBe(false);
  });

  it('refunds the whole captured amount as PaymentRefunded', () => {
    const change = completeRefund(captured(), cause, now);

    expect(change.payment.status).toBe('REFUNDED');
    expect(change.events.map((e) => [e.detailType, e.detail.data])).toEqual([
      ['PaymentRefunded', { orderId, paymentId, amount: order.amount }],
    ]);
  });
});
