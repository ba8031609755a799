import { dirname } from 'node:path';
import { MatchersV3 } from '@pact-foundation/pact';
import { EXAMPLE_ORDER_ID, OrderPlacedV1, OrderPlacedV2, reads } from '@shop/contracts';
import { consumerPacts, verified, verifyProviderPacts } from '@shop/pacts';
import { describe, expect, it } from 'vitest';
import { changed, now, orderEventMakers, placed } from '../../src/eventMakers/index.js';

const { eachLike, integer, like, uuid } = MatchersV3;

describe("Order's events", () => {
  it("meet every consumer's pact", async () => {
    const verifications = await verifyProviderPacts('order', orderEventMakers);

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
