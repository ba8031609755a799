import { MAX_ORDER_LINES, type OutgoingEvent } from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import {
  changeStatus,
  expiryDeadline,
  MixedCurrencyError,
  NotDueError,
  OutOfStockError,
  placeOrder,
  UnknownProductError,
} from '#domain/order.js';
import { IllegalTransitionError } from '#domain/orderStatus.js';

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
  expiresAfterSeconds: 900,
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

  it('gives the order a deadline, expiresAfterSeconds from now, by which it expires if still PENDING', () => {
    const { order } = placed();

    expect(order.confirmBy).toBe('2026-01-01T00:15:00.000Z');
    expect(expiryDeadline(order)).toBe(order.confirmBy);
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

describe('the largest order a customer can place', () => {
  /** EventBridge's limit on one PutEvents entry; SQS's on one message is as large or larger. */
  const MAX_ENTRY_BYTES = 256 * 1024;
  /** The size of an event's PutEvents entry, as EventBridge counts it: Time, Source, DetailType, Detail. */
  const entrySize = (event: OutgoingEvent) =>
    14 +
    Buffer.byteLength(event.source) +
    Buffer.byteLength(event.detailType) +
    Buffer.byteLength(JSON.stringify(event.detail));
  /** A character of four UTF-8 bytes, the most one character takes. */
  const widest = '\u{10FFFF}';
  const skus = Array.from(
    { length: MAX_ORDER_LINES },
    (_, i) => `SKU-${String(i).padStart(28, '0')}`,
  );
  const unitPrice = {
    amountMinor: Math.floor(Number.MAX_SAFE_INTEGER / (MAX_ORDER_LINES * 1000)),
    currency: 'EUR' as const,
  };

  it('makes OrderPlaced events far below the 256 KB EventBridge takes', () => {
    const result = placeOrder(
      {
        orderId,
        customerId: widest.repeat(128),
        lines: skus.map((sku) => ({ sku, quantity: 1000 })),
        paymentToken: widest.repeat(256),
        catalogue: new Map(skus.map((sku) => [sku, { unitPrice, available: 1000 }])),
        expiresAfterSeconds: 900,
      },
      now,
    );
    if (!result.ok) throw result.error;

    const sizes = result.change.events.map(entrySize);
    expect(sizes).toHaveLength(2);
    for (const size of sizes) expect(size).toBeLessThan(MAX_ENTRY_BYTES / 16);
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

  it('confirms an order whose captured payment is its total', () => {
    const paid = { amountMinor: 5097, currency: 'EUR' as const };

    const changed = changeStatus(placed().order, { type: 'paymentCaptured', paid }, cause, now);

    expect(changed.ok && changed.change.order).toMatchObject({ status: 'CONFIRMED' });
    expect(changed.ok && changed.change.order).not.toHaveProperty('mismatchedPayment');
    expect(changed.ok && changed.change.events.map((e) => e.detailType)).toEqual([
      'OrderConfirmed',
    ]);
  });

  it.each([
    { amountMinor: 5096, currency: 'EUR' as const },
    { amountMinor: 5097, currency: 'GBP' as const },
  ])('cancels an order whose captured payment is not its total: %o', (paid) => {
    const changed = changeStatus(placed().order, { type: 'paymentCaptured', paid }, cause, now);

    expect(changed.ok && changed.change.order).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'PAYMENT_MISMATCH',
      mismatchedPayment: paid,
    });
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

  describe('an expiry', () => {
    const deadline = new Date('2026-01-01T00:15:00Z');
    const expire = { type: 'expire' } as const;

    it('cancels a PENDING order at its deadline as EXPIRED, published as PAYMENT_FAILED', () => {
      const changed = changeStatus(placed().order, expire, cause, deadline);

      expect(changed.ok && changed.change.order).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'EXPIRED',
        updatedAt: deadline.toISOString(),
        version: 2,
      });
      expect(changed.ok && expiryDeadline(changed.change.order)).toBeUndefined();
      expect(changed.ok && changed.change.events.map((e) => [e.detailType, e.detail.data])).toEqual(
        [['OrderCancelled', { orderId, customerId: 'c-1', reason: 'PAYMENT_FAILED' }]],
      );
    });

    it('refuses an order before its deadline', () => {
      const early = new Date(deadline.getTime() - 1);

      const changed = changeStatus(placed().order, expire, cause, early);

      expect(!changed.ok && changed.error).toEqual(new NotDueError(placed().order));
    });

    it('never expires a confirmed order, and leaves a cancelled one as it was', () => {
      const confirmed = changeStatus(placed().order, { type: 'confirm' }, cause, now);
      const cancelled = changeStatus(
        placed().order,
        { type: 'cancel', reason: 'CUSTOMER_REQUESTED' },
        cause,
        now,
      );
      if (!confirmed.ok || !cancelled.ok) throw new Error('not settled');

      for (const settled of [confirmed.change.order, cancelled.change.order]) {
        const changed = changeStatus(settled, expire, cause, deadline);
        expect(!changed.ok && changed.error).toBeInstanceOf(IllegalTransitionError);
        expect(expiryDeadline(settled)).toBeUndefined();
      }
    });
  });
});
