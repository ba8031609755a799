import { describe, expect, it } from 'vitest';
import { issueLocalCredentials } from '../../src/iam/localCredentials.js';

const ORDER = 'arn:aws:iam::000000000000:role/shop/order/order-place';
const PAYMENT = 'arn:aws:iam::000000000000:role/shop/payment/payment-charge';
const seed = Buffer.alloc(32, 7);

describe('issueLocalCredentials', () => {
  it('gives each role its own key, secret and assumed-role session', () => {
    const registry = issueLocalCredentials({
      roles: [{ roleArn: ORDER, sessionName: 'order' }, { roleArn: PAYMENT }],
      seed,
    });
    const order = registry.forRole(ORDER);
    const payment = registry.forRole(PAYMENT);

    expect(order?.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(order?.accessKeyId).not.toBe(payment?.accessKeyId);
    expect(order?.secretAccessKey).not.toBe(payment?.secretAccessKey);
    expect(order?.principal).toBe('arn:aws:sts::000000000000:assumed-role/order-place/order');
    expect(payment?.principal).toBe(
      'arn:aws:sts::000000000000:assumed-role/payment-charge/payment-charge',
    );
    expect(registry.lookup(order?.accessKeyId ?? '')).toEqual(order);
    expect(registry.lookup('AKIDUNKNOWN')).toBeUndefined();
  });

  it('derives the same keys from the same seed, and other keys from another seed', () => {
    const once = issueLocalCredentials({ roles: [{ roleArn: ORDER }], seed }).all;
    const again = issueLocalCredentials({ roles: [{ roleArn: ORDER }], seed }).all;
    const other = issueLocalCredentials({ roles: [{ roleArn: ORDER }] }).all;

    expect(again).toEqual(once);
    expect(other[0]?.accessKeyId).not.toBe(once[0]?.accessKeyId);
  });

  it('refuses a role listed twice and something that is not a role ARN', () => {
    expect(() =>
      issueLocalCredentials({ roles: [{ roleArn: ORDER }, { roleArn: ORDER }] }),
    ).toThrow(/listed twice/);
    expect(() =>
      issueLocalCredentials({ roles: [{ roleArn: 'arn:aws:iam::000000000000:user/alice' }] }),
    ).toThrow(/Not an IAM role ARN/);
  });
});
