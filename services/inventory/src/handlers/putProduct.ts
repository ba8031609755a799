import { MoneySchema, SkuSchema } from '@shop/contracts';
import { invocationHandler } from '@shop/shared';
import { z } from 'zod';
import { dependencies, logger } from './dependencies.js';

export const PutProductRequestSchema = z.object({
  sku: SkuSchema,
  name: z.string().min(1).max(200),
  unitPrice: MoneySchema,
  available: z.int().min(0).max(1_000_000),
});

/** Adds a product to the catalogue, or sets its name, price and the stock available now. */
export const handler = invocationHandler(PutProductRequestSchema, async (request) => {
  const product = await dependencies.inventory.putProduct(request);
  logger.info('Product saved', { sku: product.sku, available: product.available });
  return { ok: true, value: product };
});
