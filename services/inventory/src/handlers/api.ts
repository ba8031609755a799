import { type CedarEntity, PageRequestSchema, SkuSchema } from '@shop/contracts';
import {
  type ApiAnswer,
  apiHandler,
  deadLetterRedriveRoute,
  endpoint,
  forbidden,
  InvalidPageTokenError,
  isAllowed,
  problem,
} from '@shop/shared';
import { z } from 'zod';
import { inventoryService } from '#service';
import { getProduct, listProducts } from '../app/queries.js';
import { authorizer, clients, dependencies, logger } from './dependencies.js';

const { routes } = inventoryService.functions.api;

const CATALOGUE: CedarEntity = {
  uid: { type: 'Shop::Catalogue', id: 'all' },
  attrs: {},
  parents: [],
};
const productEntity = (sku: string): CedarEntity => ({
  uid: { type: 'Shop::Product', id: sku },
  attrs: {},
  parents: [CATALOGUE.uid],
});

const may = (principal: CedarEntity, action: string, resource: CedarEntity) =>
  isAllowed(authorizer, principal, action, resource, [CATALOGUE]);

const withSku = async (sku: string | undefined, run: (sku: string) => Promise<ApiAnswer>) => {
  const parsed = SkuSchema.safeParse(sku);
  return parsed.success
    ? run(parsed.data)
    : problem(400, 'VALIDATION_FAILED', 'Invalid SKU', parsed.error.issues);
};

/**
 * Inventory's REST API. Everyone signed in (banned customers too): `GET /products`,
 * `GET /products/{sku}`. Employees: `PUT /admin/products/{sku}/stock` (Operators, Admins).
 */
export const handler = apiHandler(
  [
    endpoint(routes.listProducts, undefined, async ({ query, principal }) => {
      if (!(await may(principal, routes.listProducts.action, CATALOGUE))) return forbidden();
      const parsed = PageRequestSchema.safeParse(query);
      if (!parsed.success)
        return problem(400, 'VALIDATION_FAILED', 'Invalid request', parsed.error.issues);
      try {
        return { status: 200, body: await listProducts(dependencies, parsed.data) };
      } catch (error) {
        if (error instanceof InvalidPageTokenError)
          return problem(400, 'VALIDATION_FAILED', error.message);
        throw error;
      }
    }),
    endpoint(routes.getProduct, undefined, ({ params, principal }) =>
      withSku(params['sku'], async (sku) => {
        if (!(await may(principal, routes.getProduct.action, productEntity(sku))))
          return forbidden();
        const product = await getProduct(dependencies, sku);
        return product === undefined
          ? problem(404, 'NOT_FOUND', `Product ${sku} not found`)
          : { status: 200, body: product };
      }),
    ),
    endpoint(
      routes.setStock,
      z.object({ available: z.int().min(0).max(1_000_000) }),
      ({ params, body, principal }) =>
        withSku(params['sku'], async (sku) => {
          if (!(await may(principal, routes.setStock.action, productEntity(sku))))
            return forbidden();
          const product = await dependencies.inventory.setStock(sku, body.available);
          logger.info('Stock set', { sku, available: body.available });
          return product === undefined
            ? problem(404, 'NOT_FOUND', `Product ${sku} not found`)
            : { status: 200, body: product };
        }),
    ),
    deadLetterRedriveRoute({ authorizer, sqs: clients.sqs }),
  ],
  { logger, declared: routes },
);
