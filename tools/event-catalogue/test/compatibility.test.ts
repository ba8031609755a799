import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from '../src/compatibility.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`fixtures/compatibility/${name}.json`, import.meta.url), 'utf8'));

const published = fixture('published');

const judged = (name: string) =>
  compareSchemas(published, fixture(name)).map(({ path, rule, breaking }) => ({
    path,
    rule,
    breaking,
  }));

describe('compareSchemas: breaking changes to a published version', () => {
  it.each([
    ['field-removed', [{ path: 'total', rule: 'field-removed' }]],
    [
      'field-renamed',
      [
        { path: 'total', rule: 'field-removed' },
        { path: 'amount', rule: 'required-field-added' },
      ],
    ],
    ['type-changed', [{ path: 'total', rule: 'type-changed' }]],
    ['number-to-integer', [{ path: 'total', rule: 'type-narrowed' }]],
    ['maximum-lowered', [{ path: 'quantity', rule: 'type-narrowed' }]],
    ['minimum-lowered', [{ path: 'quantity', rule: 'type-widened' }]],
    ['optional-made-required', [{ path: 'note', rule: 'optional-made-required' }]],
    ['required-made-optional', [{ path: 'currency', rule: 'required-made-optional' }]],
    ['required-field-added', [{ path: 'channel', rule: 'required-field-added' }]],
    ['enum-value-removed', [{ path: 'currency', rule: 'enum-value-removed' }]],
    ['enum-value-added', [{ path: 'currency', rule: 'enum-value-added' }]],
    ['nested-field-removed', [{ path: 'lines[].sku', rule: 'field-removed' }]],
    ['format-changed', [{ path: 'orderId', rule: 'constraint-changed' }]],
    ['producer-changed', [{ path: '', rule: 'schema-changed' }]],
  ])('%s is breaking', (name, expected) => {
    expect(judged(name)).toEqual(expected.map((change) => ({ ...change, breaking: true })));
  });
});

describe('compareSchemas: compatible changes', () => {
  it('allows a new optional field', () => {
    expect(judged('optional-field-added')).toEqual([
      { path: 'giftWrap', rule: 'optional-field-added', breaking: false },
    ]);
  });

  it('allows documentation to change', () => {
    expect(judged('description-changed')).toEqual([
      { path: 'total', rule: 'annotation-changed', breaking: false },
    ]);
  });

  it('finds nothing when nothing changed', () => {
    expect(compareSchemas(published, fixture('published'))).toEqual([]);
  });

  it('explains a change in its detail', () => {
    expect(compareSchemas(published, fixture('type-changed'))[0]?.detail).toBe(
      'type "number" -> "string"',
    );
  });
});
