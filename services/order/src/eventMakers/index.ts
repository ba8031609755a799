import type { OutgoingEvent } from '@shop/contracts';
import { changeStatus, placeOrder } from '#domain/order.js';

/** When the verification's orders are placed and changed. */
export const now = new Date('2026-11-23T10:00:00Z');

/** Order's domain, step by step: every event it publishes comes from here. */
export const placed = () => {
  const result = placeOrder(
    {
      orderId: '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10',
      customerId: '7d3f1c9a-2b4e-4c61-8f0a-5e9b2d6c4a13',
      lines: [
        { sku: 'MUG-001', quantity: 2 },
        { sku: 'TEE-001', quantity: 1 },
      ],
      paymentToken: 'tok_success',
      catalogue: new Map([
        ['MUG-001', { unitPrice: { amountMinor: 1299, currency: 'EUR' as const }, available: 5 }],
        ['TEE-001', { unitPrice: { amountMinor: 2499, currency: 'EUR' as const }, available: 1 }],
      ]),
      expiresAfterSeconds: 900,
    },
    now,
  );
  if (!result.ok) throw result.error;
  return result.change;
};

/** The events of one transition of a placed order, at `at`. */
export const changed =
  (transition: Parameters<typeof changeStatus>[1], at = now) =>
  () => {
    const { order } = placed();
    const cause = {
      correlationId: order.orderId,
      causationId: '5f0c2a9e-8d14-4b7a-9e36-1c2d3e4f5a6b',
    };
    const result = changeStatus(order, transition, cause, at);
    if (!result.ok) throw result.error;
    return result.change.events;
  };

/**
 * How Order makes each event version it publishes, with its real domain code: what every
 * consumer's pact is verified against, in its tests and before a deploy (`npm run can-i-deploy`).
 *
 * @example
 * ```ts
 * await verifyProviderPacts('order', orderEventMakers);
 * ```
 */
export const orderEventMakers: Readonly<Record<string, () => readonly OutgoingEvent[]>> = {
  'OrderPlaced v1': () => placed().events,
  'OrderPlaced v2': () => placed().events,
  'OrderConfirmed v1': changed({ type: 'confirm' }),
  'OrderCancelled v1': changed({ type: 'cancel', reason: 'CUSTOMER_REQUESTED' }),
};
