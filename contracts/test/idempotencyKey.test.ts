import { describe, expect, it } from 'vitest';
import { IdempotencyKeySchema } from '../src/index.js';

describe('IdempotencyKeySchema', () => {
  it.each([
    ['a UUID', '8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['a structured-field string', '"8e03978e-40d5-43e8-bc93"', '8e03978e-40d5-43e8-bc93'],
    ['one character', 'k', 'k'],
    ['64 characters', 'a_Z-9'.repeat(12).concat('abcd'), 'a_Z-9'.repeat(12).concat('abcd')],
  ])('accepts %s', (_, header, key) => {
    expect(IdempotencyKeySchema.parse(header)).toBe(key);
  });

  it.each([
    ['empty', ''],
    ['empty quotes', '""'],
    ['65 characters', 'k'.repeat(65)],
    ['a space', 'key 1'],
    ['two keys', 'key-1, key-2'],
    ['a quote inside', '"key"1"'],
    ['a character beyond ASCII', 'schlüssel'],
    ['a control character', 'key\u0000'],
  ])('refuses %s with the rule in the issue', (_, header) => {
    expect(IdempotencyKeySchema.safeParse(header).error?.issues).toEqual([
      expect.objectContaining({
        code: 'invalid_format',
        message: expect.stringContaining('1 to 64 letters, digits, - or _'),
      }),
    ]);
  });
});
