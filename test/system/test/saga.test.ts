import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EUR, startTestShop, type TestShop } from './support.js';

const catalogue = [
  { sku: 'MUG-001', name: 'Mug', unitPrice: EUR(1299), available: 100 },
  { sku: 'TEE-001', name: 'T-shirt', unitPrice: EUR(2499), available: 100 },
  { sku: 'HOODIE-001', name: 'Hoodie', unitPrice: EUR(5999), available: 100 },
  { sku: 'SOLDOUT-001', name: 'Sold out', unitPrice: EUR(500), available: 0 },
  { sku: 'LIMITED-001', name: 'Limited edition', unitPrice: EUR(9900), available: 10 },
  { sku: 'LAST-001', name: 'The last one', unitPrice: EUR(4200), available: 1 },
];

let t: TestShop;

beforeAll(async () => {
  t = await startTestShop({ catalogue, shared: true });
});

afterAll(async () => {
  await t?.stop();
});

describe('the order saga', () => {
  it('confirms a paid order: stock committed, payment captured once', async () => {
    const before = await t.stock('MUG-001');

    const order = await t.settledOrder([{ sku: 'MUG-001', quantity: 2 }], 'tok_success');

    expect(order).toMatchObject({ status: 'CONFIRMED', total: EUR(2598) });
    // Inventory commits on OrderConfirmed, which publishes nothing: wait for the counters.
    await expect
      .poll(() => t.stock('MUG-001'))
      .toMatchObject({ available: before.available - 2, reserved: 0 });
    expect(await t.payment(order.orderId)).toMatchObject({ status: 'CAPTURED' });
    expect(t.capturedCharges(order.orderId)).toMatchObject([{ amount: EUR(2598) }]);
    expect(t.events.forOrder(order.orderId).map((e) => e['detail-type'])).toEqual(
      expect.arrayContaining([
        'OrderPlaced',
        'InventoryReserved',
        'PaymentSucceeded',
        'OrderConfirmed',
      ]),
    );
  });

  it('refuses an order for more than Inventory has, and writes nothing', async () => {
    const before = await t.ownOrderIds();
    const result = await t.customer.request('order', 'POST', '/orders', {
      lines: [
        { sku: 'MUG-001', quantity: 1 },
        { sku: 'SOLDOUT-001', quantity: 1 },
      ],
      paymentToken: 'tok_success',
    });

    expect(result).toEqual({
      status: 409,
      body: { error: { code: 'OUT_OF_STOCK', message: 'Not enough stock: SOLDOUT-001' } },
    });
    expect(await t.ownOrderIds()).toEqual(before);
  });

  it('cancels an order that lost the last unit to another between the check and the reservation', async () => {
    // Both orders pass Order's availability check while Inventory has not reserved either yet.
    const [first, second] = await t.withEventsHeld('inventory', () =>
      Promise.all([
        t.placeOrder([{ sku: 'LAST-001', quantity: 1 }], 'tok_success'),
        t.placeOrder([{ sku: 'LAST-001', quantity: 1 }], 'tok_success'),
      ]),
    );
    const orders = await Promise.all([first, second].map((o) => t.settled(o.orderId)));

    expect(orders.map((o) => o.status).sort()).toEqual(['CANCELLED', 'CONFIRMED']);
    const lost = orders.find((o) => o.status === 'CANCELLED');
    expect(lost).toMatchObject({ cancellationReason: 'INVENTORY_UNAVAILABLE' });
    const failed = await t.events.waitForOrderEvent(
      String(lost?.orderId),
      'InventoryReservationFailed',
    );
    expect(failed.detail.data).toMatchObject({
      reason: 'INSUFFICIENT_STOCK',
      unavailable: [{ sku: 'LAST-001', requested: 1, available: 0 }],
    });
    expect(t.capturedCharges(String(lost?.orderId))).toEqual([]);
    await expect.poll(() => t.stock('LAST-001')).toMatchObject({ available: 0, reserved: 0 });
  });

  it('shows what Payment says about the payment in the order details', async () => {
    const order = await t.settledOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_declined');

    expect(await t.order(order.orderId)).toMatchObject({
      status: 'CANCELLED',
      payment: {
        orderId: order.orderId,
        status: 'FAILED',
        failureReason: 'CARD_DECLINED',
        amount: EUR(1299),
      },
    });
  });

  it.each([
    ['tok_declined', 'CARD_DECLINED'],
    ['tok_insufficient_funds', 'INSUFFICIENT_FUNDS'],
    ['tok_unavailable', 'PROCESSOR_UNAVAILABLE'],
  ])('cancels an order paid with %s (%s) and releases its stock', async (token, reason) => {
    const before = await t.stock('TEE-001');

    const order = await t.settledOrder([{ sku: 'TEE-001', quantity: 3 }], token);
    await t.events.waitForOrderEvent(order.orderId, 'InventoryReleased');

    expect(order).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_FAILED' });
    expect(await t.payment(order.orderId)).toMatchObject({
      status: 'FAILED',
      failureReason: reason,
    });
    expect(await t.stock('TEE-001')).toEqual(before);
    expect(t.capturedCharges(order.orderId)).toEqual([]);
  });

  it('retries a charge whose answer was lost, with the same key, and charges once', async () => {
    const order = await t.settledOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_timeout');

    expect(order.status).toBe('CONFIRMED');
    expect(t.capturedCharges(order.orderId)).toHaveLength(1);
  });

  it('refunds and restocks an order its customer cancels after confirmation', async () => {
    const before = await t.stock('HOODIE-001');
    const order = await t.settledOrder([{ sku: 'HOODIE-001', quantity: 4 }], 'tok_success');
    expect(order.status).toBe('CONFIRMED');

    const cancelled = await t.cancel(order.orderId);
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    const refunded = await t.events.waitForOrderEvent(order.orderId, 'PaymentRefunded');
    await t.events.waitForOrderEvent(order.orderId, 'InventoryReleased');

    expect(refunded.detail.data).toMatchObject({ amount: EUR(23996) });
    expect(await t.payment(order.orderId)).toMatchObject({ status: 'REFUNDED' });
    expect(t.capturedCharges(order.orderId)).toMatchObject([{ refundedMinor: 23996 }]);
    expect(await t.stock('HOODIE-001')).toEqual(before);
  });

  it('refuses to cancel an order twice', async () => {
    const order = await t.settledOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_declined');

    expect(await t.cancel(order.orderId)).toMatchObject({
      status: 409,
      body: { error: { code: 'ILLEGAL_TRANSITION' } },
    });
  });

  it('never oversells: 50 concurrent orders for 10 units confirm exactly 10', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.customer.request<{ orderId: string; error?: { code: string } }>(
          'order',
          'POST',
          '/orders',
          {
            lines: [{ sku: 'LIMITED-001', quantity: 1 }],
            paymentToken: 'tok_success',
          },
        ),
      ),
    );
    // Orders that see no stock left at the check are refused at once; the others race in Inventory.
    // On a busy machine some price checks outlast the query budget: those orders are refused as
    // SERVICE_UNAVAILABLE before anything is written, which is safe. Ten must still confirm.
    const placed = results.flatMap((result) => (result.status === 201 ? [result.body] : []));
    const refused = results.flatMap((result) =>
      result.status === 201 ? [] : [String(result.body.error?.code)],
    );
    expect(
      refused.filter((code) => code !== 'OUT_OF_STOCK' && code !== 'SERVICE_UNAVAILABLE'),
    ).toEqual([]);
    await Promise.all(placed.map(({ orderId }) => t.events.waitForSettled(orderId)));
    const orders = await Promise.all(placed.map(({ orderId }) => t.order(orderId)));
    const confirmed = orders.filter((o) => o.status === 'CONFIRMED');
    const cancelled = orders.filter((o) => o.status === 'CANCELLED');

    expect(confirmed).toHaveLength(10);
    expect(cancelled).toHaveLength(40 - refused.length);
    expect(cancelled.every((o) => o.cancellationReason === 'INVENTORY_UNAVAILABLE')).toBe(true);
    await expect.poll(() => t.stock('LIMITED-001')).toMatchObject({ available: 0, reserved: 0 });
    const seenAvailable = t.events.events
      .filter((e) => e['detail-type'] === 'InventoryReservationFailed')
      .flatMap((e) =>
        (e.detail.data['unavailable'] as { available: number }[]).map((u) => u.available),
      );
    expect(Math.min(...seenAvailable)).toBeGreaterThanOrEqual(0);
    expect(confirmed.flatMap((o) => t.capturedCharges(o.orderId))).toHaveLength(10);
  });
});
