import { MatchersV3 } from '@pact-foundation/pact';
import { causedBy, EXAMPLE_ORDER_ID } from '@shop/contracts';
import { consumerPacts } from '@shop/pacts';
import { describe, expect, it } from 'vitest';
import { commit, release, reserve } from '#domain/reservation.js';
import { inventoryService } from '#service';

const { eachLike, integer, like, uuid } = MatchersV3;
const now = new Date('2026-11-23T10:00:00Z');
const pacts = consumerPacts(inventoryService);

/** Stock held for the order the event names, as Inventory's own domain reserves it. */
const reserved = (orderId: string) => {
  const change = reserve(
    undefined,
    new Map([['MUG-001', 5]]),
    { orderId, lines: [{ sku: 'MUG-001', quantity: 2 }] },
    { correlationId: orderId, causationId: orderId },
    now,
  );
  if (change === undefined) throw new Error('nothing reserved');
  return change.reservation;
};

describe('Inventory consumes', () => {
  it("OrderPlaced v1: the order id and each line's SKU and quantity, to reserve them", () =>
    pacts.expects(
      'OrderPlaced',
      1,
      {
        orderId: uuid(EXAMPLE_ORDER_ID),
        lines: eachLike({ sku: like('MUG-001'), quantity: integer(2) }),
      },
      (event) => {
        const available = new Map(event.data.lines.map((line) => [line.sku, line.quantity]));
        const change = reserve(undefined, available, event.data, causedBy(event), now);
        expect(change?.reservation).toMatchObject({
          orderId: event.data.orderId,
          status: 'RESERVED',
          lines: event.data.lines,
        });
      },
    ));

  it('OrderConfirmed v1: the order id, to sell what it holds', () =>
    pacts.expects('OrderConfirmed', 1, { orderId: uuid(EXAMPLE_ORDER_ID) }, (event) => {
      expect(commit(reserved(event.data.orderId), now)?.reservation.status).toBe('COMMITTED');
    }));

  it('OrderCancelled v1: the order id, to put its stock back', () =>
    pacts.expects('OrderCancelled', 1, { orderId: uuid(EXAMPLE_ORDER_ID) }, (event) => {
      const change = release(
        reserved(event.data.orderId),
        event.data.orderId,
        causedBy(event),
        now,
      );
      expect(change?.reservation.status).toBe('RELEASED');
    }));

  it('states an expectation for every event version it subscribes to', () => {
    expect(pacts.withoutExpectation()).toEqual([]);
  });

  it('writes the pacts committed in test/pacts/pacts', async () => {
    for (const pact of pacts.written()) {
      await expect(pact.text).toMatchFileSnapshot(pact.committed);
    }
  });
});
