import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, nextStatus } from '#domain/orderStatus.js';

describe('nextStatus', () => {
  it.each([
    ['PENDING', { type: 'confirm' }, 'CONFIRMED'],
    ['PENDING', { type: 'cancel', reason: 'INVENTORY_UNAVAILABLE' }, 'CANCELLED'],
    ['PENDING', { type: 'cancel', reason: 'PAYMENT_FAILED' }, 'CANCELLED'],
    ['PENDING', { type: 'cancel', reason: 'CUSTOMER_REQUESTED' }, 'CANCELLED'],
    ['PENDING', { type: 'cancel', reason: 'PAYMENT_MISMATCH' }, 'CANCELLED'],
    ['PENDING', { type: 'cancel', reason: 'EXPIRED' }, 'CANCELLED'],
    ['CONFIRMED', { type: 'cancel', reason: 'CUSTOMER_REQUESTED' }, 'CANCELLED'],
  ] as const)('%s + %o -> %s', (from, transition, to) => {
    expect(nextStatus(from, transition)).toEqual({ ok: true, status: to });
  });

  it.each([
    ['CONFIRMED', { type: 'confirm' }],
    ['CONFIRMED', { type: 'cancel', reason: 'PAYMENT_FAILED' }],
    ['CONFIRMED', { type: 'cancel', reason: 'INVENTORY_UNAVAILABLE' }],
    ['CONFIRMED', { type: 'cancel', reason: 'PAYMENT_MISMATCH' }],
    ['CONFIRMED', { type: 'cancel', reason: 'EXPIRED' }],
    ['CANCELLED', { type: 'confirm' }],
    ['CANCELLED', { type: 'cancel', reason: 'EXPIRED' }],
    ['CANCELLED', { type: 'cancel', reason: 'PAYMENT_MISMATCH' }],
    ['CANCELLED', { type: 'cancel', reason: 'CUSTOMER_REQUESTED' }],
  ] as const)('rejects %s + %o', (from, transition) => {
    const result = nextStatus(from, transition);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBeInstanceOf(IllegalTransitionError);
  });

  it('says what was attempted on what', () => {
    const result = nextStatus('CANCELLED', { type: 'cancel', reason: 'CUSTOMER_REQUESTED' });

    expect(!result.ok && result.error.message).toBe(
      'Cannot cancel (CUSTOMER_REQUESTED) an order that is CANCELLED',
    );
  });
});
