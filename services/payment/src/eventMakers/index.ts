import type { OutgoingEvent } from '@shop/contracts';
import {
  completeCharge,
  completeRefund,
  newPayment,
  type Payment,
  recordOrder,
  recordReservation,
  startCharge,
} from '#domain/payment.js';

const now = new Date('2026-11-23T10:00:00Z');
const orderId = '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10';
const paymentId = 'c2a4e6f8-1b3d-4f5a-8c7e-9d0b2a4c6e81';
const cause = { correlationId: orderId, causationId: '5f0c2a9e-8d14-4b7a-9e36-1c2d3e4f5a6b' };

/** Payment's domain, step by step: every event it publishes comes from here. */
const charging = (): Payment => {
  const order = {
    customerId: '7d3f1c9a-2b4e-4c61-8f0a-5e9b2d6c4a13',
    amount: { amountMinor: 2598, currency: 'EUR' as const },
    paymentToken: 'tok_success',
  };
  const placed = recordOrder(newPayment(orderId, now), order, now);
  const ready = placed && recordReservation(placed, now);
  if (ready === undefined) throw new Error('not ready to charge');
  return startCharge(ready, paymentId, now);
};
const captured = () =>
  completeCharge(charging(), { outcome: 'captured', chargeId: 'ch_1' }, cause, now);

/**
 * How Payment makes each event version it publishes, with its real domain code: what every
 * consumer's pact is verified against, in its tests and before a deploy (`npm run can-i-deploy`).
 *
 * @example
 * ```ts
 * await verifyProviderPacts('payment', paymentEventMakers);
 * ```
 */
export const paymentEventMakers: Readonly<Record<string, () => readonly OutgoingEvent[]>> = {
  'PaymentSucceeded v1': () => captured().events,
  'PaymentFailed v1': () =>
    completeCharge(charging(), { outcome: 'failed', reason: 'CARD_DECLINED' }, cause, now).events,
  'PaymentRefunded v1': () => completeRefund(captured().payment, cause, now).events,
};
