import { MatchersV3 } from '@pact-foundation/pact';
import { causedBy, EXAMPLE_ORDER_ID } from '@shop/contracts';
import { consumerPacts } from '@shop/pacts';
import { describe, expect, it } from 'vitest';
import { changeStatus, placeOrder } from '#domain/order.js';
import { orderService } from '#service';
import { type OrderEvent, transitionFor } from '../../src/app/onEvent.js';

const { integer, regex, uuid } = MatchersV3;
const now = new Date('2026-11-23T10:00:00Z');
const pacts = consumerPacts(orderService);

/** A pending order with the id the event names, as Order's own domain places it: EUR 25.98. */
const pendingOrder = (orderId: string, quantity = 2) => {
  const placed = placeOrder(
    {
      orderId,
      customerId: 'c-1',
      lines: [{ sku: 'MUG-001', quantity }],
      paymentToken: 'tok_success',
      catalogue: new Map([
        ['MUG-001', { unitPrice: { amountMinor: 1299, currency: 'EUR' as const }, available: 5 }],
      ]),
      expiresAfterSeconds: 900,
    },
    now,
  );
  if (!placed.ok) throw placed.error;
  return placed.change.order;
};

/** What Order's own code does with the event: the transition it maps to, on a pending order. */
const react = (event: OrderEvent, order = pendingOrder(event.data.orderId)) => {
  const changed = changeStatus(order, transitionFor(event), causedBy(event), now);
  if (!changed.ok) throw changed.error;
  return changed.change.order;
};

describe('Order consumes', () => {
  it('InventoryReservationFailed v1: the order id, to cancel the order', () =>
    pacts.expects('InventoryReservationFailed', 1, { orderId: uuid(EXAMPLE_ORDER_ID) }, (event) => {
      expect(react(event)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'INVENTORY_UNAVAILABLE',
      });
    }));

  it("PaymentSucceeded v1: the order id and the amount, to confirm the order if it paid the order's total", () =>
    pacts.expects(
      'PaymentSucceeded',
      1,
      {
        orderId: uuid(EXAMPLE_ORDER_ID),
        amount: { amountMinor: integer(2598), currency: regex('^[A-Z]{3}$', 'EUR') },
      },
      (event) => {
        expect(react(event).status).toBe('CONFIRMED');
        expect(react(event, pendingOrder(event.data.orderId, 1))).toMatchObject({
          status: 'CANCELLED',
          cancellationReason: 'PAYMENT_MISMATCH',
        });
      },
    ));

  it('PaymentFailed v1: the order id, to cancel the order', () =>
    pacts.expects('PaymentFailed', 1, { orderId: uuid(EXAMPLE_ORDER_ID) }, (event) => {
      expect(react(event)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'PAYMENT_FAILED',
      });
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
