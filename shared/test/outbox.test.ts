import { buildEvent, OrderConfirmedV1 } from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import {
  OUTBOX_RETENTION_SECONDS,
  outboxPut,
  retry,
  retryDelaySeconds,
  versionedPut,
  withoutKeys,
} from '../src/index.js';

const orderId = '0b8f5f7e-3c1a-4d2b-9e6f-1a2b3c4d5e6f';
const now = new Date('2026-01-01T00:00:00Z');

describe('outboxPut', () => {
  it('records the event as the relay publishes it, once per event id, expiring later', () => {
    const event = buildEvent(
      OrderConfirmedV1,
      { orderId, customerId: 'c-1' },
      { correlationId: orderId, causationId: orderId },
      { eventId: 'e-1', occurredAt: now },
    );

    expect(outboxPut('shop-order', event, now)).toEqual({
      Put: {
        TableName: 'shop-order',
        Item: {
          pk: 'OUTBOX#e-1',
          sk: 'OUTBOX',
          kind: 'outbox',
          source: 'shop.order',
          detailType: 'OrderConfirmed',
          detail: JSON.stringify(event.detail),
          expiresAt: now.getTime() / 1000 + OUTBOX_RETENTION_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk' },
      },
    });
  });
});

describe('versionedPut', () => {
  it('creates version 1 only if absent, and later versions only over the one before', () => {
    expect(versionedPut('t', { pk: 'A', sk: 'A' }, { version: 1 }).Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(#pk)',
    });
    expect(versionedPut('t', { pk: 'A', sk: 'A' }, { version: 3 }).Put).toMatchObject({
      ConditionExpression: '#version = :read',
      ExpressionAttributeValues: { ':read': 2 },
    });
  });

  it('round-trips through withoutKeys', () => {
    const item = versionedPut('t', { pk: 'A', sk: 'B' }, { version: 1 }).Put?.Item ?? {};

    expect(withoutKeys(item)).toEqual({ version: 1 });
  });
});

describe('retry', () => {
  it('retries what is retryable until it succeeds', async () => {
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new RangeError('again');
        return 'done';
      },
      { retryable: (error) => error instanceof RangeError, baseDelayMs: 1 },
    );

    expect([result, calls]).toEqual(['done', 3]);
  });

  it('gives up at once on what is not retryable, and after the last attempt on what is', async () => {
    let calls = 0;
    const failing = (error: Error) => () => {
      calls++;
      return Promise.reject(error);
    };

    await expect(retry(failing(new TypeError('no')), { retryable: () => false })).rejects.toThrow(
      'no',
    );
    expect(calls).toBe(1);
    await expect(
      retry(failing(new RangeError('still')), {
        retryable: () => true,
        attempts: 3,
        baseDelayMs: 1,
      }),
    ).rejects.toThrow('still');
    expect(calls).toBe(4);
  });
});

describe('retryDelaySeconds', () => {
  it('grows exponentially with jitter and stays within SQS limits', () => {
    for (let receive = 1; receive <= 20; receive++) {
      const ceiling = Math.min(900, 2 ** Math.max(1, receive));
      const delay = retryDelaySeconds(receive);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});
