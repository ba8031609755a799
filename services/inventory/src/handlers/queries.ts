import { GetProduct, GetStock, ListProducts } from '@shop/contracts';
import { failure, found, queryHandler, route } from '@shop/shared';
import { InvalidPageTokenError } from '../app/ports.js';
import { getProduct, getStock, listProducts } from '../app/queries.js';
import { dependencies, logger } from './dependencies.js';

/** Inventory's Lattice service: the catalogue with prices and availability, and stock. */
export const handler = queryHandler(
  [
    route(ListProducts, async ({ query }) => {
      try {
        return { ok: true, value: await listProducts(dependencies, query) };
      } catch (error) {
        if (error instanceof InvalidPageTokenError)
          return failure('VALIDATION_FAILED', error.message);
        throw error;
      }
    }),
    route(GetProduct, async ({ params }) =>
      found(await getProduct(dependencies, params.sku), `Product ${params.sku}`),
    ),
    route(GetStock, async ({ params }) =>
      found(await getStock(dependencies, params.sku), `Product ${params.sku}`),
    ),
  ],
  { logger },
);
