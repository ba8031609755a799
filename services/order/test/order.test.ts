import { describe, expect, it } from 'vitest';
import {
  changeStatus,
  MixedCurrencyError,
  OutOfStockError,
  placeOrder,
  UnknownProductError,
} from '#domain/order.js';

const orderId = '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f';
const now = new Date('2026-01-01T00:00:00Z');
const catalogue = new Map([
  ['MUG-001', { unitPrice: { amountMinor: 1299, currency: 'EUR' as const }, available: 5 }],
  ['TEE-001', { unitPrice: { amountMinor: 2499, currency: 'EUR' as const }, available: 1 }],
  ['CAP-001', { unitPrice: { amountMinor: 1500, currency: 'USD' as const }, available: 9 }],
]);
const input = {
  orderId,
  customerId: 'c-1',
  lines: [
    { sku: 'MUG-001', quantity: 2 },
    { sku: 'TEE-001', quantity: 1 },
  ],
  paymentToken: 'tok_success',
  catalogue,
};

const placed = () => {
  const result = placeOrder(input, now);
  if (!result.ok) throw result.error;
  return result.change;
};

describe('placeOrder', () => {
  it('prices a pending order and publishes OrderPlaced in both versions', () => {
    const { order, events } = placed();

    expect(order).toMatchObject({
      status: 'PENDING',
      version: 1,
      total: { amountMinor: 5097, currency: 'EUR' },
    });
    expect(
      events.map((e) => [e.detailType, e.detail.metadata.version, e.detail.metadata.correlationId]),
    ).toEqual([
      ['OrderPlaced', 1, orderId],
      ['OrderPlaced', 2, orderId],
    ]);
    expect(events[0]?.detail.data).toMatchObject({ total: 50.97, lines: input.lines });
    expect(events[1]?.detail.data).toMatchObject({
      total: { amountMinor: 5097, currency: 'EUR' },
      paymentToken: 'tok_success',
    });
  });

  it('refuses products that have no price', () => {
    const result = placeOrder({ ...input, lines: [{ sku: 'GHOST-001', quantity: 1 }] }, now);

    expect(result.ok ? undefined : result.error).toBeInstanceOf(UnknownProductError);
  });

  it('refuses more units than are available, counting every line of a product', () => {
    const result = placeOrder(
      { ...input, lines: [...input.lines, { sku: 'MUG-001', quantity: 4 }] },
      now,
    );

    expect(result.ok ? undefined : result.error).toEqual(new OutOfStockError(['MUG-001']));
  });

  it('takes an order for exactly the units available', () => {
    const result = placeOrder({ ...input, lines: [{ sku: 'TEE-001', quantity: 1 }] }, now);

    expect(result.ok).toBe(true);
  });

  it('refuses an order priced in two currencies', () => {
    const result = placeOrder(
      { ...input, lines: [...input.lines, { sku: 'CAP-001', quantity: 1 }] },
      now,
    );

    expect(result.ok ? undefined : result.error).toBeInstanceOf(MixedCurrencyError);
  });
});

describe('changeStatus', () => {
  const cause = { correlationId: orderId, causationId: 'event-1' };

  it('confirms a pending order and publishes OrderConfirmed', () => {
    const changed = changeStatus(placed().order, { type: 'confirm' }, cause, now);

    expect(changed.ok && changed.change.order).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(changed.ok && changed.change.events.map((e) => e.detailType)).toEqual([
      'OrderConfirmed',
    ]);
  });

  it('cancels with the reason in OrderCancelled', () => {
    const changed = changeStatus(
      placed().order,
      { type: 'cancel', reason: 'PAYMENT_FAILED' },
      cause,
      now,
    );

    expect(changed.ok && changed.change.order.cancellationReason).toBe('PAYMENT_FAILED');
    expect(changed.ok && changed.change.events.map((e) => e.detail.data)).toEqual([
      { orderId, customerId: 'c-1', reason: 'PAYMENT_FAILED' },
    ]);
  });

  it('refuses an illegal transition and records nothing', () => {
    const cancelled = changeStatus(
      placed().order,
      { type: 'cancel', reason: 'CUSTOMER_REQUESTED' },
      cause,
      now,
    );
    const again = cancelled.ok
      ? changeStatus(cancelled.change.order, { type: 'confirm' }, cause, now)
      : undefined;

    expect(again?.ok).toBe(false);
  });
});
