import { describe, expect, it } from 'vitest';
import { rateSeconds } from '../src/rateExpression.js';

describe('rateSeconds', () => {
  it.each([
    ['rate(1 minute)', 60],
    ['rate(5 minutes)', 300],
    ['rate(1 hour)', 3600],
    ['rate(2 hours)', 7200],
    ['rate(1 day)', 86_400],
    ['rate(7 days)', 604_800],
  ])('reads %s as %i seconds', (expression, seconds) => {
    expect(rateSeconds(expression)).toBe(seconds);
  });

  it.each([
    'rate(1 minutes)',
    'rate(2 minute)',
    'rate(0 minutes)',
    'rate(01 minute)',
    'rate(1 second)',
    'rate(-1 minute)',
    'rate(1.5 hours)',
    'cron(0 12 * * ? *)',
    'rate(1  minute)',
  ])('refuses %s, which EventBridge Scheduler would not take as a rate', (expression) => {
    expect(rateSeconds(expression)).toBeUndefined();
  });
});
