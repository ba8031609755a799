import { describe, expect, it } from 'vitest';
import { InvalidPageTokenError, pageResult } from '../src/entityPages.js';

describe('pageResult', () => {
  it('is the page the listing reads', async () => {
    expect(await pageResult(async () => ({ items: [1, 2], nextToken: 'next' }))).toEqual({
      ok: true,
      value: { items: [1, 2], nextToken: 'next' },
    });
  });

  it('is VALIDATION_FAILED, with what is wrong, for a page token the service did not issue', async () => {
    const forged = async () => {
      throw new InvalidPageTokenError('nextToken is not a token this service issued');
    };

    expect(await pageResult(forged)).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'nextToken is not a token this service issued',
      },
    });
  });

  it('lets any other failure through', async () => {
    const bug = new TypeError('not a page token');

    await expect(
      pageResult(async () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
  });
});
