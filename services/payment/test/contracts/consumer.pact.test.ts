import { MatchersV3 } from '@pact-foundation/pact';
import { EXAMPLE_CUSTOMER_ID, EXAMPLE_ORDER_ID, EXAMPLE_PAYMENT_ID } from '@shop/contracts';
import { consumerPacts } from '@shop/pacts';
import { describe, expect, it } from 'vitest';
import {
  chargeRequest,
  newPayment,
  onCancellation,
  readyToCharge,
  recordOrder,
  recordReservation,
  startCharge,
} from '#domain/payment.js';
import { paymentService } from '#service';

const { integer, like, regex, uuid } = MatchersV3;
const now = new Date('2026-11-23T10:00:00Z');
const pacts = consumerPacts(paymentService);

describe('Payment consumes', () => {
  it('OrderPlaced v2: the order id, customer, total and payment token, to charge the total', () =>
    pacts.expects(
      'OrderPlaced',
      2,
      {
        orderId: uuid(EXAMPLE_ORDER_ID),
        customerId: like(EXAMPLE_CUSTOMER_ID),
        total: { amountMinor: integer(2598), currency: regex('^[A-Z]{3}$', 'EUR') },
        paymentToken: like('tok_success'),
      },
      (event) => {
        const { orderId, customerId, total, paymentToken } = event.data;
        const recorded = recordOrder(
          newPayment(orderId, now),
          { customerId, amount: total, paymentToken },
          now,
        );
        const ready = recorded && recordReservation(recorded, now);
        expect(ready && readyToCharge(ready)).toBe(true);
        expect(ready && chargeRequest(startCharge(ready, EXAMPLE_PAYMENT_ID, now))).toMatchObject({
          amount: total,
          token: paymentToken,
        });
      },
    ));

  it('InventoryReserved v1: the order id, to know its stock is held', () =>
    pacts.expects('InventoryReserved', 1, { orderId: uuid(EXAMPLE_ORDER_ID) }, (event) => {
      const recorded = recordReservation(newPayment(event.data.orderId, now), now);
      expect(recorded?.inventoryReserved).toBe(true);
    }));

  it('OrderCancelled v1: the order id, to void or refund its payment', () =>
    pacts.expects('OrderCancelled', 1, { orderId: uuid(EXAMPLE_ORDER_ID) }, (event) => {
      expect(onCancellation(undefined, event.data.orderId, now)).toMatchObject({
        action: 'void',
        payment: { orderId: event.data.orderId, status: 'VOIDED' },
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
