import { dirname } from 'node:path';
import { MatchersV3 } from '@pact-foundation/pact';
import {
  buildEvent,
  EXAMPLE_ORDER_ID,
  InvalidEventDataError,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  type OutgoingEvent,
  reads,
} from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import { consumerPacts, verifyProviderPacts } from '../src/index.js';

const { decimal, eachLike, integer, like, uuid } = MatchersV3;

/** A consumer as its manifest declares it: Inventory's name and subscriptions. */
const inventory = {
  name: 'inventory',
  subscribes: [
    reads(OrderPlacedV1, ['orderId', 'lines']),
    reads(OrderConfirmedV1, ['orderId']),
    reads(OrderCancelledV1, ['orderId']),
  ],
} as const;
const cause = { correlationId: EXAMPLE_ORDER_ID, causationId: EXAMPLE_ORDER_ID };

/** Inventory's pact for OrderPlaced v1 alone, written to a directory of its own. */
const orderPlacedPact = async () => {
  const pacts = consumerPacts({ name: 'inventory', subscribes: [reads(OrderPlacedV1, ['lines'])] });
  await pacts.expects(
    'OrderPlaced',
    1,
    { lines: eachLike({ sku: like('MUG-001'), quantity: integer(2) }) },
    () => undefined,
  );
  const [written] = pacts.written();
  if (written === undefined) throw new Error('no pact written');
  return { dir: dirname(written.file) };
};

describe('the consumer side', () => {
  const orderId = uuid(EXAMPLE_ORDER_ID);
  const lines = eachLike({ sku: like('MUG-001'), quantity: integer(2) });

  it.each([
    ['less', { orderId }, '(orderId)'],
    ['more', { orderId, lines, total: decimal(25.98) }, '(lines, orderId, total)'],
  ])('refuses a pact that asks for %s than the consumer reads', async (_, data, asked) => {
    const pacts = consumerPacts(inventory);

    await expect(pacts.expects('OrderPlaced', 1, data, () => {})).rejects.toThrow(
      `inventory's pact for OrderPlaced v1 must ask for the fields it reads (lines, orderId), not ${asked}`,
    );
  });

  it("cannot leave out what the consumer's parser needs inside a field", async () => {
    const pacts = consumerPacts(inventory);

    const asking = pacts.expects(
      'OrderPlaced',
      1,
      { orderId, lines: eachLike({ sku: like('MUG-001') }) },
      () => {},
    );

    await expect(asking).rejects.toThrow(InvalidEventDataError);
    await expect(asking).rejects.toThrow(/lines\.0\.quantity/);
  });

  it('fails when the consumer cannot handle the message', async () => {
    const pacts = consumerPacts(inventory);

    const asking = pacts.expects('OrderCancelled', 1, { orderId }, () => {
      throw new Error('cannot release');
    });

    await expect(asking).rejects.toThrow('cannot release');
  });

  it('refuses an expectation for an event version the consumer does not subscribe to', async () => {
    const pacts = consumerPacts(inventory);

    await expect(pacts.expects('OrderPlaced', 2 as 1, { orderId }, () => {})).rejects.toThrow(
      'inventory does not subscribe to OrderPlaced v2',
    );
    expect(pacts.withoutExpectation()).toEqual([
      'OrderPlaced v1',
      'OrderConfirmed v1',
      'OrderCancelled v1',
    ]);
  });
});

// The verifier logs `ERROR … Verification unsuccessful` for each failure these tests expect.
describe('the producer side', () => {
  const placed = (lines: unknown): OutgoingEvent => {
    const event = buildEvent(OrderPlacedV1, OrderPlacedV1.example, cause);
    return { ...event, detail: { ...event.detail, data: { ...event.detail.data, lines } } };
  };

  it('passes an event that carries what the consumer reads, and more', async () => {
    const [verification] = await verifyProviderPacts(
      'order',
      { 'OrderPlaced v1': () => [placed([{ sku: 'TEE-001', quantity: 3, giftWrap: true }])] },
      await orderPlacedPact(),
    );

    expect(verification).toEqual({
      pact: 'inventory-order',
      interactions: [{ description: 'OrderPlaced v1', ok: true }],
      failures: [],
    });
  });

  it('names the field that breaks an expectation', async () => {
    const [verification] = await verifyProviderPacts(
      'order',
      { 'OrderPlaced v1': () => [placed([{ sku: 'TEE-001', quantity: '3' }])] },
      await orderPlacedPact(),
    );

    expect(verification?.failures).toEqual([
      expect.stringMatching(
        /^OrderPlaced v1: inventory's parser refuses it: OrderPlaced v1 data is invalid: lines\.0\.quantity/,
      ),
      "OrderPlaced v1: $.detail.data.lines[0].quantity -> Expected '3' (String) to be an integer",
    ]);
  });

  it('names the message the producer has no maker for', async () => {
    const [verification] = await verifyProviderPacts(
      'order',
      {
        'OrderCancelled v1': () => [buildEvent(OrderCancelledV1, OrderCancelledV1.example, cause)],
      },
      await orderPlacedPact(),
    );

    expect(verification?.interactions).toEqual([{ description: 'OrderPlaced v1', ok: false }]);
    expect(verification?.failures[0]).toBe(
      "OrderPlaced v1: order's verification has no maker for it",
    );
  });
});
