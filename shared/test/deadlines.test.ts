import { describe, expect, it } from 'vitest';
import { deadlineKeys, SERVICE_TABLE, versionedPut, withoutKeys } from '../src/index.js';

const deadline = '2026-01-01T00:15:00.000Z';

describe('deadlineKeys', () => {
  it('puts an entity in the by-deadline index under its kind, at its deadline, and withoutKeys takes them off again', () => {
    const order = { version: 1, status: 'PENDING', ...deadlineKeys('ORDER', deadline) };
    const item = versionedPut('t', { pk: 'ORDER#o-1', sk: 'ORDER' }, order).Put?.Item ?? {};

    expect(item).toMatchObject({
      [SERVICE_TABLE.byDeadlineIndex.partitionKey]: 'ORDER',
      [SERVICE_TABLE.byDeadlineIndex.sortKey]: deadline,
    });
    expect(withoutKeys(item)).toEqual({ version: 1, status: 'PENDING' });
  });

  it('keeps an entity without a deadline out of the index', () => {
    expect(deadlineKeys('ORDER', undefined)).toEqual({});
  });
});
