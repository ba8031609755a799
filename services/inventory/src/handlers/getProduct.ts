import { SkuSchema } from '@shop/contracts';
import { failure, invocationHandler } from '@shop/shared';
import { z } from 'zod';
import { dependencies } from './dependencies.js';

/** One product with its stock: available to reserve, and held for pending orders. */
export const handler = invocationHandler(z.object({ sku: SkuSchema }), async ({ sku }) => {
  const [product] = await dependencies.inventory.getProducts([sku]);
  return product === undefined
    ? failure('NOT_FOUND', `Product ${sku} not found`)
    : { ok: true, value: product };
});
