import { dirname } from 'node:path';
import { MatchersV3 } from '@pact-foundation/pact';
import { EXAMPLE_ORDER_ID, OrderPlacedV1, OrderPlacedV2, reads } from '@shop/contracts';
import { consumerPacts, verified, verifyProviderPacts } from '@shop/pacts';
import { describe, expect, it } from 'vitest';
import { changeStatus, placeOrder } from '#domain/order.js';

const { eachLike, integer, like, uuid } = MatchersV3;
const now = new Date('2026-11-23T10:00:00Z');

/** Order's domain, step by step: every event it publishes comes from here. */
const placed = () => {
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

const changed =
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

describe("Order's events", () => {
  it("meet every consumer's pact", async () => {
    const verifications = await verifyProviderPacts('order', {
      'OrderPlaced v1': () => placed().events,
      'OrderPlaced v2': () => placed().events,
      'OrderConfirmed v1': changed({ type: 'confirm' }),
      'OrderCancelled v1': changed({ type: 'cancel', reason: 'CUSTOMER_REQUESTED' }),
    });

    expect(verifications).toEqual([
      verified('inventory-order', 'OrderCancelled v1', 'OrderConfirmed v1', 'OrderPlaced v1'),
      verified('payment-order', 'OrderCancelled v1', 'OrderPlaced v2'),
    ]);
  });

  it("meet every consumer's pact when an order expires: OrderCancelled, to release and void or refund", async () => {
    const deadline = new Date(now.getTime() + 900 * 1000);
    const verifications = await verifyProviderPacts('order', {
      'OrderPlaced v1': () => placed().events,
      'OrderPlaced v2': () => placed().events,
      'OrderConfirmed v1': changed({ type: 'confirm' }),
      'OrderCancelled v1': changed({ type: 'expire' }, deadline),
    });

    expect(verifications).toEqual([
      verified('inventory-order', 'OrderCancelled v1', 'OrderConfirmed v1', 'OrderPlaced v1'),
      verified('payment-order', 'OrderCancelled v1', 'OrderPlaced v2'),
    ]);
  });

  it("meet every consumer's pact when a payment is not the order's total: OrderCancelled, to refund and release", async () => {
    const paid = { amountMinor: 1, currency: 'EUR' as const };
    const verifications = await verifyProviderPacts('order', {
      'OrderPlaced v1': () => placed().events,
      'OrderPlaced v2': () => placed().events,
      'OrderConfirmed v1': changed({ type: 'confirm' }),
      'OrderCancelled v1': changed({ type: 'paymentCaptured', paid }),
    });

    expect(verifications).toEqual([
      verified('inventory-order', 'OrderCancelled v1', 'OrderConfirmed v1', 'OrderPlaced v1'),
      verified('payment-order', 'OrderCancelled v1', 'OrderPlaced v2'),
    ]);
  });
});

describe('retiring OrderPlaced v1, against the real domain', () => {
  const orderId = uuid(EXAMPLE_ORDER_ID);
  const line = { sku: like('MUG-001'), quantity: integer(2) };
  const onV1 = async () => {
    const pacts = consumerPacts({
      name: 'inventory',
      subscribes: [reads(OrderPlacedV1, ['orderId', 'lines'])],
    });
    await pacts.expects('OrderPlaced', 1, { orderId, lines: eachLike(line) }, () => undefined);
    return { dir: dirname(pacts.written()[0]?.file ?? '') };
  };
  const onV2 = async () => {
    const pacts = consumerPacts({
      name: 'inventory',
      subscribes: [reads(OrderPlacedV2, ['orderId', 'lines'])],
    });
    const priced = { ...line, unitPrice: { amountMinor: integer(1299), currency: like('EUR') } };
    await pacts.expects('OrderPlaced', 2, { orderId, lines: eachLike(priced) }, () => undefined);
    return { dir: dirname(pacts.written()[0]?.file ?? '') };
  };
  /** Order once it has stopped publishing v1: the same domain step, v1 left out. */
  const onlyV2 = () => placed().events.filter((event) => event.detail.metadata.version === 2);

  it('passes while Order publishes both versions', async () => {
    const verifications = await verifyProviderPacts(
      'order',
      { 'OrderPlaced v1': () => placed().events },
      await onV1(),
    );

    expect(verifications).toEqual([verified('inventory-order', 'OrderPlaced v1')]);
  });

  it('fails while Inventory still expects v1 and Order stops emitting it', async () => {
    const verifications = await verifyProviderPacts(
      'order',
      { 'OrderPlaced v1': onlyV2, 'OrderPlaced v2': onlyV2 },
      await onV1(),
    );

    expect(verifications).toEqual([
      {
        pact: 'inventory-order',
        interactions: [{ description: 'OrderPlaced v1', ok: false }],
        failures: expect.arrayContaining([
          'OrderPlaced v1: The domain emitted OrderPlaced v2, not OrderPlaced v1',
        ]),
      },
    ]);
  });

  it("passes once Inventory's pact has moved to v2", async () => {
    const verifications = await verifyProviderPacts(
      'order',
      { 'OrderPlaced v2': onlyV2 },
      await onV2(),
    );

    expect(verifications).toEqual([verified('inventory-order', 'OrderPlaced v2')]);
  });
});
