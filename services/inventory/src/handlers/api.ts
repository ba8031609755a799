import {
  type CedarEntity,
  PageRequestSchema,
  ProductNameSchema,
  SkuSchema,
  UnitPriceSchema,
} from '@shop/contracts';
import {
  type ApiAnswer,
  answerOf,
  apiHandler,
  deadLetterRedriveRoute,
  endpoint,
  forbidden,
  isAllowed,
  pageResult,
  problem,
  sqsClient,
} from '@shop/shared';
import * as z from 'zod/mini';
import { inventoryService } from '#service';
import { getProduct, getStock, listProducts } from '../app/queries.js';
import { dependencies, logger } from './dependencies.js';
import { authorizer } from './policyStore.js';

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

const AvailableSchema = z.int().check(z.minimum(0), z.maximum(1_000_000));

/**
 * A product as an Admin puts it into the catalogue: its name, price and the stock available. The
 * name is stored in DynamoDB and shown to other services, so it is a transportable string; the
 * price is bounded, so that no order's total outgrows a safe integer.
 */
const PutProductBodySchema = z.object({
  name: ProductNameSchema,
  unitPrice: UnitPriceSchema,
  available: AvailableSchema,
});

/** Staff routes on one product, each asking Cedar about that product first. */
const staffEndpoints = [
  endpoint(routes.putProduct, PutProductBodySchema, ({ params, body, principal }) =>
    withSku(params['sku'], async (sku) => {
      if (!(await may(principal, routes.putProduct.action, productEntity(sku)))) return forbidden();
      const product = await dependencies.inventory.putProduct({ sku, ...body });
      logger.info('Product saved', { sku, available: product.available });
      return { status: 200, body: product };
    }),
  ),
  endpoint(routes.viewStock, undefined, ({ params, principal }) =>
    withSku(params['sku'], async (sku) => {
      if (!(await may(principal, routes.viewStock.action, productEntity(sku)))) return forbidden();
      const stock = await getStock(dependencies, sku);
      return stock === undefined
        ? problem(404, 'NOT_FOUND', `Product ${sku} not found`)
        : { status: 200, body: stock };
    }),
  ),
  endpoint(
    routes.setStock,
    z.object({ available: AvailableSchema }),
    ({ params, body, principal }) =>
      withSku(params['sku'], async (sku) => {
        if (!(await may(principal, routes.setStock.action, productEntity(sku)))) return forbidden();
        const product = await dependencies.inventory.setStock(sku, body.available);
        logger.info('Stock set', { sku, available: body.available });
        return product === undefined
          ? problem(404, 'NOT_FOUND', `Product ${sku} not found`)
          : { status: 200, body: product };
      }),
  ),
];

/**
 * Inventory's REST API. Everyone signed in (banned customers too): `GET /products`,
 * `GET /products/{sku}`. Employees: `GET` and `PUT /admin/products/{sku}/stock` (Operators,
 * Admins), `PUT /admin/products/{sku}` (Admins).
 */
export const handler = apiHandler(
  [
    endpoint(routes.listProducts, undefined, async ({ query, principal }) => {
      if (!(await may(principal, routes.listProducts.action, CATALOGUE))) return forbidden();
      const parsed = PageRequestSchema.safeParse(query);
      if (!parsed.success)
        return problem(400, 'VALIDATION_FAILED', 'Invalid request', parsed.error.issues);
      return answerOf(await pageResult(() => listProducts(dependencies, parsed.data)));
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
    ...staffEndpoints,
    deadLetterRedriveRoute({ authorizer, sqs: sqsClient() }),
  ],
  { logger, declared: routes },
);
