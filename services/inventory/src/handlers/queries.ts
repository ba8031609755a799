import { GetProduct, GetStock, ListProducts } from '@shop/contracts';
import { found, pageResult, queryHandler, route } from '@shop/shared';
import { getProduct, getStock, listProducts } from '../app/queries.js';
import { dependencies, logger } from './dependencies.js';
import { authorizer } from './policyStore.js';

const CATALOGUE = { type: 'Shop::Catalogue', id: 'all' };
const product = (sku: string) => ({ type: 'Shop::Product', id: sku });

/** Inventory's Lattice service: the catalogue with prices and availability, and stock. */
export const handler = queryHandler(
  [
    route(
      ListProducts,
      () => CATALOGUE,
      ({ query }) => pageResult(() => listProducts(dependencies, query)),
    ),
    route(
      GetProduct,
      ({ params }) => product(params.sku),
      async ({ params }) =>
        found(await getProduct(dependencies, params.sku), `Product ${params.sku}`),
    ),
    route(
      GetStock,
      ({ params }) => product(params.sku),
      async ({ params }) =>
        found(await getStock(dependencies, params.sku), `Product ${params.sku}`),
    ),
  ],
  { logger, authorizer },
);
