import { describe, expect, it } from 'vitest';
import { commit, release, reserve } from '#domain/reservation.js';

const orderId = '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f';
const now = new Date('2026-01-01T00:00:00Z');
const cause = { correlationId: orderId, causationId: 'event-1' };
const stock = new Map([
  ['MUG-001', 5],
  ['TEE-001', 1],
]);

const reserved = () => {
  const change = reserve(
    undefined,
    stock,
    { orderId, lines: [{ sku: 'MUG-001', quantity: 2 }] },
    cause,
    now,
  );
  if (change === undefined) throw new Error('not reserved');
  return change.reservation;
};

describe('reserve', () => {
  it('holds every line and announces InventoryReserved', () => {
    const change = reserve(
      undefined,
      stock,
      {
        orderId,
        lines: [
          { sku: 'MUG-001', quantity: 2 },
          { sku: 'TEE-001', quantity: 1 },
        ],
      },
      cause,
      now,
    );

    expect(change?.reservation.status).toBe('RESERVED');
    expect(change?.stock).toEqual([
      { sku: 'MUG-001', available: -2, reserved: 2 },
      { sku: 'TEE-001', available: -1, reserved: 1 },
    ]);
    expect(change?.events.map((e) => e.detailType)).toEqual(['InventoryReserved']);
  });

  it('holds nothing when one line cannot be served, and says which', () => {
    const change = reserve(
      undefined,
      stock,
      {
        orderId,
        lines: [
          { sku: 'MUG-001', quantity: 2 },
          { sku: 'TEE-001', quantity: 2 },
        ],
      },
      cause,
      now,
    );

    expect(change?.reservation.status).toBe('REJECTED');
    expect(change?.stock).toEqual([]);
    expect(change?.events.map((e) => e.detail.data)).toEqual([
      {
        orderId,
        reason: 'INSUFFICIENT_STOCK',
        unavailable: [{ sku: 'TEE-001', requested: 2, available: 1 }],
      },
    ]);
  });

  it('does nothing for an order already handled or cancelled first', () => {
    const voided = release(undefined, orderId, cause, now)?.reservation;

    expect(
      reserve(reserved(), stock, { orderId, lines: [{ sku: 'MUG-001', quantity: 1 }] }, cause, now),
    ).toBeUndefined();
    expect(voided?.status).toBe('VOIDED');
    expect(
      reserve(voided, stock, { orderId, lines: [{ sku: 'MUG-001', quantity: 1 }] }, cause, now),
    ).toBeUndefined();
  });
});

describe('commit and release', () => {
  it('sells held units on confirmation, once', () => {
    const change = commit(reserved(), now);

    expect(change?.stock).toEqual([{ sku: 'MUG-001', available: 0, reserved: -2 }]);
    expect(change?.events).toEqual([]);
    expect(change && commit(change.reservation, now)).toBeUndefined();
  });

  it('puts held units back on cancellation', () => {
    const change = release(reserved(), orderId, cause, now);

    expect(change?.previousStatus).toBe('RESERVED');
    expect(change?.stock).toEqual([{ sku: 'MUG-001', available: 2, reserved: -2 }]);
    expect(change?.events.map((e) => e.detailType)).toEqual(['InventoryReleased']);
  });

  it('puts sold units back when a confirmed order is cancelled', () => {
    const committed = commit(reserved(), now)?.reservation;
    const change = release(committed, orderId, cause, now);

    expect(change?.stock).toEqual([{ sku: 'MUG-001', available: 2, reserved: 0 }]);
    expect(change && release(change.reservation, orderId, cause, now)).toBeUndefined();
  });
});
