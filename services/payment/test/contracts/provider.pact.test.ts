import { verified, verifyProviderPacts } from '@shop/pacts';
import { describe, expect, it } from 'vitest';
import { paymentEventMakers } from '../../src/eventMakers/index.js';

describe("Payment's events", () => {
  it("meet every consumer's pact", async () => {
    const verifications = await verifyProviderPacts('payment', paymentEventMakers);

    expect(verifications).toEqual([
      verified('order-payment', 'PaymentFailed v1', 'PaymentSucceeded v1'),
    ]);
  });
});
