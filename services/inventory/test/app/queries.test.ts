import { InvalidPageTokenError } from '@shop/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { getProduct, getStock, listProducts } from '../../src/app/queries.js';
import { inventoryService } from '../fakes.js';

const mug = {
  sku: 'MUG-001',
  name: 'Mug',
  unitPrice: { amountMinor: 1299, currency: 'EUR' },
  available: 5,
};

let service: ReturnType<typeof inventoryService>;

beforeEach(() => {
  service = inventoryService();
});

describe('listProducts', () => {
  it('answers the products named, leaves unknown ones out and never shows reserved units', async () => {
    expect(
      await listProducts(service.dependencies, { sku: ['MUG-001', 'GHOST-001'], limit: 50 }),
    ).toEqual({ products: [mug] });
  });

  it('pages through the catalogue in SKU order', async () => {
    const first = await listProducts(service.dependencies, { limit: 2 });
    const second = await listProducts(service.dependencies, {
      limit: 2,
      nextToken: first.nextToken,
    });

    expect(first.products.map((p) => p.sku)).toEqual(['CAP-001', 'MUG-001']);
    expect(first.nextToken).toEqual(expect.any(String));
    expect(second).toEqual({ products: [expect.objectContaining({ sku: 'TEE-001' })] });
  });

  it('lets a page token it did not issue fail', async () => {
    await expect(
      listProducts(service.dependencies, { limit: 2, nextToken: 'forged' }),
    ).rejects.toThrow(InvalidPageTokenError);
  });
});

describe('getProduct and getStock', () => {
  it('show one product, and its counters with the units held', async () => {
    await service.inventory.setStock('MUG-001', 7);

    expect(await getProduct(service.dependencies, 'MUG-001')).toEqual({ ...mug, available: 7 });
    expect(await getStock(service.dependencies, 'MUG-001')).toEqual({
      sku: 'MUG-001',
      available: 7,
      reserved: 0,
    });
  });

  it('are undefined for an unknown product', async () => {
    expect(await getProduct(service.dependencies, 'GHOST-001')).toBeUndefined();
    expect(await getStock(service.dependencies, 'GHOST-001')).toBeUndefined();
  });
});
