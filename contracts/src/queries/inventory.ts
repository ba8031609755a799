import * as z from 'zod/mini';
import { defineQuery, repeated } from '../defineQuery.js';
import { MoneySchema, PageRequestSchema, ProductNameSchema, SkuSchema } from '../values.js';

/** A product as Inventory shows it to other services: its price and the units that can be ordered. */
export const ProductViewSchema = z.object({
  sku: SkuSchema,
  name: ProductNameSchema,
  unitPrice: MoneySchema,
  available: z.int().check(z.minimum(0)),
});
export type ProductView = z.infer<typeof ProductViewSchema>;

/** Stock of one product: units that can be reserved, and units held for pending orders. */
export const StockViewSchema = z.object({
  sku: SkuSchema,
  available: z.int().check(z.minimum(0)),
  reserved: z.int().check(z.minimum(0)),
});
export type StockView = z.infer<typeof StockViewSchema>;

/** The most products one request may name or one page may hold. */
export const MAX_PRODUCTS_PER_REQUEST = 100;

/**
 * `GET /products`: the products named by `sku` (repeated, in any order; unknown ones are left
 * out), or without `sku` the catalogue one page at a time (`limit`, `nextToken`).
 */
export const ListProducts = defineQuery({
  name: 'ListProducts',
  provider: 'inventory',
  path: '/products',
  params: z.object({}),
  query: z.extend(PageRequestSchema, {
    sku: z.optional(
      z.pipe(
        repeated(SkuSchema),
        z.array(SkuSchema).check(z.minLength(1), z.maxLength(MAX_PRODUCTS_PER_REQUEST)),
      ),
    ),
  }),
  response: z.object({
    products: z.array(ProductViewSchema),
    nextToken: z.optional(z.string()),
  }),
});

/** `GET /products/{sku}`: one product, 404 if Inventory does not sell it. */
export const GetProduct = defineQuery({
  name: 'GetProduct',
  provider: 'inventory',
  path: '/products/{sku}',
  params: z.object({ sku: SkuSchema }),
  query: z.object({}),
  response: ProductViewSchema,
});

/** `GET /products/{sku}/stock`: the stock counters of one product, 404 if unknown. */
export const GetStock = defineQuery({
  name: 'GetStock',
  provider: 'inventory',
  path: '/products/{sku}/stock',
  params: z.object({ sku: SkuSchema }),
  query: z.object({}),
  response: StockViewSchema,
});
