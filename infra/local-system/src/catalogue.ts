import type { Money, Sku } from '@shop/contracts';

/** A product as an Admin puts it into the catalogue (`PUT /admin/products/{sku}`). */
export interface SeedProduct {
  readonly sku: Sku;
  readonly name: string;
  readonly unitPrice: Money;
  readonly available: number;
}

/** The catalogue `npm start` seeds, so there is something to order. */
export const SEED_CATALOGUE: readonly SeedProduct[] = [
  {
    sku: 'MUG-001',
    name: 'Zero-trust mug',
    unitPrice: { amountMinor: 1299, currency: 'EUR' },
    available: 100,
  },
  {
    sku: 'TEE-001',
    name: 'Least-privilege T-shirt',
    unitPrice: { amountMinor: 2499, currency: 'EUR' },
    available: 50,
  },
  {
    sku: 'STICKER-001',
    name: 'Deny-by-default sticker',
    unitPrice: { amountMinor: 299, currency: 'EUR' },
    available: 500,
  },
  {
    sku: 'HOODIE-001',
    name: 'Blast-radius hoodie',
    unitPrice: { amountMinor: 5999, currency: 'EUR' },
    available: 3,
  },
];
