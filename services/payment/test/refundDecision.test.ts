import { describe, expect, it } from 'vitest';
import { refundDecision } from '#domain/refundDecision.js';

describe('refundDecision', () => {
  it.each([
    ['CAPTURED', { refund: true }],
    ['REFUNDED', { refund: false, why: 'ALREADY_REFUNDED' }],
    ['FAILED', { refund: false, why: 'NOTHING_CAPTURED' }],
    [undefined, { refund: false, why: 'NOTHING_CAPTURED' }],
  ] as const)('%s -> %o', (status, decision) => {
    expect(refundDecision(status)).toEqual(decision);
  });
});
