import { describe, expect, it } from 'vitest';
import { planReservation } from '#domain/planReservation.js';

const stock = new Map([
  ['MUG-001', 5],
  ['TEE-002', 1],
]);

describe('planReservation', () => {
  it('reserves every line when there is enough of everything', () => {
    expect(
      planReservation(stock, [
        { sku: 'MUG-001', quantity: 5 },
        { sku: 'TEE-002', quantity: 1 },
      ]),
    ).toEqual({
      ok: true,
      lines: [
        { sku: 'MUG-001', quantity: 5 },
        { sku: 'TEE-002', quantity: 1 },
      ],
    });
  });

  it('merges lines of the same product before checking stock', () => {
    expect(
      planReservation(stock, [
        { sku: 'MUG-001', quantity: 3 },
        { sku: 'MUG-001', quantity: 3 },
      ]),
    ).toEqual({
      ok: false,
      reason: 'INSUFFICIENT_STOCK',
      unavailable: [{ sku: 'MUG-001', requested: 6, available: 5 }],
    });
  });

  it('reserves nothing when one line is short, and names only that line', () => {
    expect(
      planReservation(stock, [
        { sku: 'MUG-001', quantity: 1 },
        { sku: 'TEE-002', quantity: 2 },
      ]),
    ).toEqual({
      ok: false,
      reason: 'INSUFFICIENT_STOCK',
      unavailable: [{ sku: 'TEE-002', requested: 2, available: 1 }],
    });
  });

  it('reports an unknown product as such', () => {
    expect(
      planReservation(stock, [
        { sku: 'NOPE-404', quantity: 1 },
        { sku: 'TEE-002', quantity: 2 },
      ]),
    ).toEqual({
      ok: false,
      reason: 'UNKNOWN_PRODUCT',
      unavailable: [
        { sku: 'NOPE-404', requested: 1, available: 0 },
        { sku: 'TEE-002', requested: 2, available: 1 },
      ],
    });
  });
});
