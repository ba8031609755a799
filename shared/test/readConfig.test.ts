import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConfigError, readConfig } from '../src/index.js';

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
