import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConfigError, readConfig } from '../src/index.js';
import { readPlainConfig } from '../src/readConfig.js';

const Schema = z.object({
  TABLE_NAME: z.string().min(1),
  MAX_CONCURRENCY: z.coerce.number().int().min(2).default(2),
});

describe('readConfig', () => {
  it('returns the typed configuration, with defaults', () => {
    expect(readConfig(Schema, { TABLE_NAME: 'orders', UNRELATED: 'x' })).toEqual({
      TABLE_NAME: 'orders',
      MAX_CONCURRENCY: 2,
    });
  });

  it('names every invalid variable', () => {
    const read = () => readConfig(Schema, { MAX_CONCURRENCY: 'one' });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/TABLE_NAME: .*; MAX_CONCURRENCY: /);
  });

  it('reads process.env by default', () => {
    process.env['TABLE_NAME'] = 'from-process';

    expect(readConfig(Schema).TABLE_NAME).toBe('from-process');
    delete process.env['TABLE_NAME'];
  });
});

describe('readPlainConfig', () => {
  const names = {
    required: ['USER_POOL_ID', 'CLIENT_ID'],
    optionalUrls: ['TOKEN_ISSUER'],
  } as const;

  it('returns the strings that are set, and an optional URL only when it is set', () => {
    expect(
      readPlainConfig(names, { USER_POOL_ID: 'pool', CLIENT_ID: 'client', OTHER: 'x' }),
    ).toEqual({ USER_POOL_ID: 'pool', CLIENT_ID: 'client' });
    expect(
      readPlainConfig(names, {
        USER_POOL_ID: 'pool',
        CLIENT_ID: 'client',
        TOKEN_ISSUER: 'http://127.0.0.1:4070/pool',
      }).TOKEN_ISSUER,
    ).toBe('http://127.0.0.1:4070/pool');
  });

  it('names every missing or empty variable and every malformed URL', () => {
    const read = () => readPlainConfig(names, { CLIENT_ID: '', TOKEN_ISSUER: 'not a url' });

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/USER_POOL_ID: .*; CLIENT_ID: .*; TOKEN_ISSUER: Invalid URL/);
  });
});
