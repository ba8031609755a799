import { PageRequestSchema } from '@shop/contracts';
import { answerOf, apiHandler, endpoint, forbidden, pageResult, problem } from '@shop/shared';
import { inventoryService } from '#service';
import { getProduct, listProducts } from '../app/queries.js';
import { dependencies, logger } from './dependencies.js';
import { CATALOGUE, may, productEntity, withSku } from './products.js';

const { routes } = inventoryService.functions.api;

/**
 * Inventory's REST API. Everyone signed in (banned customers too): `GET /products`,
 * `GET /products/{sku}`. The staff routes are the staff function's.
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
  ],
  { logger, declared: routes },
);
