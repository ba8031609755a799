import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EUR,
  type Order,
  SETTLES_WITHIN,
  type Stock,
  startTestShop,
  type TestShop,
} from './support.js';

/** Orders of this shop expire 6 s after placement; its schedules run every second. */
const ORDER_EXPIRY_SECONDS = 6;
const SCHEDULE_EVERY_SECONDS = 1;

const catalogue = [{ sku: 'MUG-001', name: 'Mug', unitPrice: EUR(1299), available: 100 }];

let t: TestShop;

beforeAll(async () => {
  t = await startTestShop({
    catalogue,
    configuration: { ORDER_EXPIRY_SECONDS: String(ORDER_EXPIRY_SECONDS) },
    scheduleEverySeconds: SCHEDULE_EVERY_SECONDS,
  });
});

afterAll(async () => {
  await t?.stop();
});

/** The messages still in a service's queue, waiting or being handled. */
const queued = async (service: string) => {
  const consumer = t.shop.cloud.consumers.find((c) => c.service === service);
  const { Attributes = {} } = await t.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: consumer?.queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes['ApproximateNumberOfMessages']) +
    Number(Attributes['ApproximateNumberOfMessagesNotVisible'])
  );
};

/**
 * Places an order, waits for it to settle (here, to expire), then for its stock to be back: held
 * and released, or, on a machine too busy for Inventory to reserve within the deadline, never held.
 */
const placedAndExpired = async (quantity: number, before: Stock): Promise<Order> => {
  const placed = await t.placeOrder([{ sku: 'MUG-001', quantity }], 'tok_success');
  expect(Date.parse(placed.confirmBy) - Date.parse(placed.placedAt)).toBe(
    ORDER_EXPIRY_SECONDS * 1000,
  );
  const settled = await t.settled(placed.orderId);
  await expect.poll(() => t.stock('MUG-001'), SETTLES_WITHIN).toEqual(before);
  return settled;
};

/** Payment has settled the order's payment without keeping any money: voided, or refunded. */
const expectNoMoneyKept = async (orderId: string) => {
  await expect
    .poll(async () => (await t.payment(orderId)).status, SETTLES_WITHIN)
    .toMatch(/^(VOIDED|REFUNDED)$/);
  for (const charge of t.capturedCharges(orderId)) {
    expect(charge.refundedMinor).toBe(charge.amount.amountMinor);
  }
};

describe('an order the saga never settles', () => {
  it('expires at its deadline: CANCELLED (EXPIRED), its stock released, its payment voided or refunded', async () => {
    const before = await t.stock('MUG-001');

    // Payment takes none of its events: the order can never be paid.
    const expired = await t.withEventsHeld('payment', () => placedAndExpired(3, before));

    expect(expired).toMatchObject({ status: 'CANCELLED', cancellationReason: 'EXPIRED' });
    expect(await t.stock('MUG-001')).toEqual(before);
    expect(
      t.events.forOrder(expired.orderId).find((e) => e['detail-type'] === 'OrderCancelled')?.detail
        .data,
    ).toMatchObject({ reason: 'PAYMENT_FAILED' });
    // Payment takes its events now: whatever their order, the cancellation wins.
    await expectNoMoneyKept(expired.orderId);
  });

  it('stays expired when Order hears of its payment only after its deadline; a captured payment is refunded', async () => {
    const before = await t.stock('MUG-001');

    // Order takes none of its events: a payment that succeeds waits in its queue.
    const expired = await t.withEventsHeld('order', () => placedAndExpired(2, before));
    await expect.poll(() => queued('order'), SETTLES_WITHIN).toBe(0);

    expect(expired).toMatchObject({ status: 'CANCELLED', cancellationReason: 'EXPIRED' });
    expect(await t.order(expired.orderId)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'EXPIRED',
    });
    expect(await t.stock('MUG-001')).toEqual(before);
    const kinds = t.events.forOrder(expired.orderId).map((e) => e['detail-type']);
    expect(kinds).not.toContain('OrderConfirmed');
    if (kinds.includes('PaymentSucceeded')) {
      await t.events.waitForOrderEvent(expired.orderId, 'PaymentRefunded');
    }
    await expectNoMoneyKept(expired.orderId);
  });
});
