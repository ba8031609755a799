import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EUR, type Order, SETTLES_WITHIN, startTestShop, type TestShop } from './support.js';

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

/** Places an order whose stock Inventory holds, then waits for it to settle: here, to expire. */
const placedAndExpired = async (quantity: number): Promise<Order> => {
  const placed = await t.placeOrder([{ sku: 'MUG-001', quantity }], 'tok_success');
  expect(Date.parse(placed.confirmBy) - Date.parse(placed.placedAt)).toBe(
    ORDER_EXPIRY_SECONDS * 1000,
  );
  await t.events.waitForOrderEvent(placed.orderId, 'InventoryReserved');
  return t.settled(placed.orderId);
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
    const expired = await t.withEventsHeld('payment', async () => {
      const order = await placedAndExpired(3);
      await t.events.waitForOrderEvent(order.orderId, 'InventoryReleased');
      return order;
    });

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
    const expired = await t.withEventsHeld('order', async () => {
      const order = await placedAndExpired(2);
      await t.events.waitForOrderEvent(order.orderId, 'InventoryReleased');
      return order;
    });
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
