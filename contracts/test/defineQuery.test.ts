import { describe, expect, it } from 'vitest';
import { matchQueryPath, policyPath, queryPath } from '../src/defineQuery.js';
import { GetStock, ListProducts } from '../src/queries/inventory.js';

describe('query contracts', () => {
  it('build request paths from templates, encoding each parameter', () => {
    expect(queryPath(GetStock, { sku: 'MUG-001' })).toBe('/products/MUG-001/stock');
    expect(queryPath(GetStock, { sku: 'A/B' })).toBe('/products/A%2FB/stock');
    expect(() => queryPath(GetStock, {} as { sku: string })).toThrow(
      'GetStock needs the path parameter sku',
    );
  });

  it('match request paths segment by segment, decoding parameters', () => {
    expect(matchQueryPath('/products/{sku}/stock', '/products/MUG-001/stock')).toEqual({
      sku: 'MUG-001',
    });
    expect(matchQueryPath('/products/{sku}', '/products/MUG-001/stock')).toBeUndefined();
    expect(matchQueryPath('/products/{sku}', '/products/')).toBeUndefined();
    expect(matchQueryPath('/products', '/products')).toEqual({});
    expect(matchQueryPath('/products/{sku}', '/products/%E0%A4%A')).toBeUndefined();
  });

  it('name policy resources with a wildcard per parameter', () => {
    expect(policyPath('/products/{sku}/stock')).toBe('/products/*/stock');
    expect(policyPath('/products')).toBe('/products');
  });

  it('parse repeated and single query parameters', () => {
    expect(ListProducts.query.parse({ sku: 'MUG-001' })).toEqual({ sku: ['MUG-001'], limit: 50 });
    expect(ListProducts.query.parse({ sku: ['MUG-001', 'TEE-001'], limit: '10' })).toEqual({
      sku: ['MUG-001', 'TEE-001'],
      limit: 10,
    });
    expect(ListProducts.query.safeParse({ sku: 'lower-case' }).success).toBe(false);
  });
});
