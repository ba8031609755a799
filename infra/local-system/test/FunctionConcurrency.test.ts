import { describe, expect, it } from 'vitest';
import { FunctionConcurrency } from '../src/FunctionConcurrency.js';

const concurrency = () =>
  new FunctionConcurrency(
    new Map([
      ['inventory-queries', { limit: 2, reserved: true }],
      ['order-api', { limit: 1, reserved: false }],
    ]),
  );

describe('FunctionConcurrency', () => {
  it('admits up to the limit, refuses the next at once with the reserved limit as the reason', () => {
    const limits = concurrency();

    expect(limits.acquire('inventory-queries')).toBeUndefined();
    expect(limits.acquire('inventory-queries')).toBeUndefined();
    expect(limits.acquire('inventory-queries')).toBe(
      'ReservedFunctionConcurrentInvocationLimitExceeded',
    );
    expect(limits.inFlight('inventory-queries')).toBe(2);
  });

  it('names the account-wide limit for a function without reserved concurrency', () => {
    const limits = concurrency();
    limits.acquire('order-api');

    expect(limits.acquire('order-api')).toBe('ConcurrentInvocationLimitExceeded');
  });

  it('admits again once an invocation ends, and counts each function apart', () => {
    const limits = concurrency();
    limits.acquire('inventory-queries');
    limits.acquire('inventory-queries');
    limits.release('inventory-queries');

    expect(limits.acquire('order-api')).toBeUndefined();
    expect(limits.acquire('inventory-queries')).toBeUndefined();
    expect(limits.inFlight('inventory-queries')).toBe(2);
    expect(limits.inFlight('order-api')).toBe(1);
  });

  it('refuses a function it has no limit for', () => {
    expect(concurrency().acquire('unknown')).toBe('ConcurrentInvocationLimitExceeded');
  });
});
