import { RetryLaterError } from '@shop/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '#domain/order.js';
import { changeOrderStatus } from '../../src/app/changeOrderStatus.js';
import type { OrderEvent } from '../../src/app/onEvent.js';
import { orderService, placedOrder, sagaEvents } from '../fakes.js';

let service: ReturnType<typeof orderService>;
let order: Order;
let events: ReturnType<typeof sagaEvents>;

beforeEach(async () => {
  service = orderService();
  order = await placedOrder(service.dependencies);
  events = sagaEvents(order.orderId);
});

const stored = () => service.orders.get(order.orderId);
/** The events published after OrderPlaced. */
const published = () => service.orders.outbox.slice(2);

describe('Order reacting to the saga', () => {
  it('confirms the order when its payment succeeded, caused by that event', async () => {
    const succeeded = events.paymentSucceeded();

    await service.deliver(succeeded);

    expect(await stored()).toMatchObject({ status: 'CONFIRMED' });
    expect(published().map((e) => [e.detailType, e.detail.metadata])).toEqual([
      [
        'OrderConfirmed',
        expect.objectContaining({
          correlationId: order.orderId,
          causationId: succeeded.metadata.eventId,
        }),
      ],
    ]);
  });

  it.each([
    ['one cent', { amountMinor: 1, currency: 'EUR' as const }],
    ['more than the total', { amountMinor: 2599, currency: 'EUR' as const }],
    ['the total in another currency', { amountMinor: 2598, currency: 'USD' as const }],
  ])(
    'cancels the order when its payment captured %s, and records what it paid',
    async (_, paid) => {
      const succeeded = events.paymentSucceeded(paid);

      await service.deliver(succeeded);

      expect(await stored()).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'PAYMENT_MISMATCH',
        mismatchedPayment: paid,
        total: { amountMinor: 2598, currency: 'EUR' },
      });
      // OrderCancelled v1 has no PAYMENT_MISMATCH: its consumers refund and release as for a
      // failed payment.
      expect(published().map((e) => [e.detailType, e.detail.data, e.detail.metadata])).toEqual([
        [
          'OrderCancelled',
          { orderId: order.orderId, customerId: 'c-1', reason: 'PAYMENT_FAILED' },
          expect.objectContaining({ causationId: succeeded.metadata.eventId }),
        ],
      ]);
    },
  );

  it('changes nothing when a mismatched payment comes after the customer cancelled', async () => {
    await changeOrderStatus(
      service.dependencies,
      order.orderId,
      { type: 'cancel', reason: 'CUSTOMER_REQUESTED' },
      { correlationId: order.orderId, causationId: order.orderId },
    );

    await service.deliver(events.paymentSucceeded({ amountMinor: 1, currency: 'EUR' }));

    expect(await stored()).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'CUSTOMER_REQUESTED',
    });
    expect(await stored()).not.toHaveProperty('mismatchedPayment');
    expect(published().map((e) => e.detailType)).toEqual(['OrderCancelled']);
  });

  it.each([
    ['its payment failed', () => events.paymentFailed(), 'PAYMENT_FAILED'],
    ['its stock could not be reserved', () => events.reservationFailed(), 'INVENTORY_UNAVAILABLE'],
  ])('cancels the order when %s', async (_, event, reason) => {
    await service.deliver(event());

    expect(await stored()).toMatchObject({ status: 'CANCELLED', cancellationReason: reason });
    expect(published().map((e) => [e.detailType, e.detail.data])).toEqual([
      ['OrderCancelled', { orderId: order.orderId, customerId: 'c-1', reason }],
    ]);
  });

  it('asks for a retry when the order is not known yet, and writes nothing', async () => {
    const early = sagaEvents('0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f').paymentSucceeded();

    await expect(service.deliver(early)).rejects.toThrow(RetryLaterError);

    expect(published()).toEqual([]);
  });

  it('changes nothing when the payment succeeds after the customer cancelled', async () => {
    await changeOrderStatus(
      service.dependencies,
      order.orderId,
      { type: 'cancel', reason: 'CUSTOMER_REQUESTED' },
      { correlationId: order.orderId, causationId: order.orderId },
    );

    await service.deliver(events.paymentSucceeded());

    expect(await stored()).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'CUSTOMER_REQUESTED',
    });
    expect(published().map((e) => e.detailType)).toEqual(['OrderCancelled']);
  });

  it.each<[string, () => OrderEvent[]]>([
    [
      'the same event',
      () => {
        const succeeded = events.paymentSucceeded();
        return [succeeded, succeeded];
      },
    ],
    ['a late failure', () => [events.paymentSucceeded(), events.paymentFailed()]],
  ])('publishes one outcome when %s arrives again', async (_, arrivals) => {
    for (const event of arrivals()) await service.deliver(event);

    expect(await stored()).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(published().map((e) => e.detailType)).toEqual(['OrderConfirmed']);
  });
});
