import { ProductNameSchema, UnitPriceSchema } from '@shop/contracts';
import {
  deadLetterRoutes,
  endpoint,
  forbidden,
  problem,
  sqsClient,
  staffEntryChecks,
  staffHandler,
} from '@shop/shared';
import * as z from 'zod/mini';
import { inventoryService } from '#service';
import { getStock } from '../app/queries.js';
import { dependencies, logger } from './dependencies.js';
import { authorizer } from './policyStore.js';
import { may, productEntity, withSku } from './products.js';

const { routes } = inventoryService.functions.staff;
const sqs = sqsClient();

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
const productEndpoints = [
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
 * Inventory's staff routes, behind Verified Access and the staff load balancer under
 * `/inventory` (ADR 0021): `GET` and `PUT /admin/products/{sku}/stock` (Operators, Admins),
 * `PUT /admin/products/{sku}` (Admins), `GET /admin/dead-letters` (Operators, Admins) and
 * `POST /admin/dead-letters/redrive` (Admins). Each asks Inventory's Cedar policies.
 */
export const handler = staffHandler(
  [...productEndpoints, ...deadLetterRoutes({ authorizer, sqs })],
  { logger, declared: routes, prefix: '/inventory', checks: staffEntryChecks() },
);
