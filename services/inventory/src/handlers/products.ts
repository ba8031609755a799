import type { CedarEntity } from '@shop/contracts';
import { SkuSchema } from '@shop/contracts';
import { type ApiAnswer, isAllowed, problem } from '@shop/shared';
import { authorizer } from './policyStore.js';

/** The whole catalogue, as Cedar names it: every product's parent. */
export const CATALOGUE: CedarEntity = {
  uid: { type: 'Shop::Catalogue', id: 'all' },
  attrs: {},
  parents: [],
};

/**
 * One product as Cedar names it, in the catalogue.
 *
 * @example
 * ```ts
 * productEntity('MUG-001').uid; // { type: 'Shop::Product', id: 'MUG-001' }
 * ```
 */
export const productEntity = (sku: string): CedarEntity => ({
  uid: { type: 'Shop::Product', id: sku },
  attrs: {},
  parents: [CATALOGUE.uid],
});

/**
 * Asks Inventory's policy store whether the principal may take the action on the resource, the
 * catalogue given as an entity.
 *
 * @example
 * ```ts
 * if (!(await may(principal, 'SetStock', productEntity(sku)))) return forbidden();
 * ```
 */
export const may = (principal: CedarEntity, action: string, resource: CedarEntity) =>
  isAllowed(authorizer, principal, action, resource, [CATALOGUE]);

/**
 * Runs a route on one product once its SKU is valid, or answers 400.
 *
 * @example
 * ```ts
 * withSku(params['sku'], async (sku) => ({ status: 200, body: await getStock(dependencies, sku) }));
 * ```
 */
export const withSku = async (
  sku: string | undefined,
  run: (sku: string) => Promise<ApiAnswer>,
): Promise<ApiAnswer> => {
  const parsed = SkuSchema.safeParse(sku);
  return parsed.success
    ? run(parsed.data)
    : problem(400, 'VALIDATION_FAILED', 'Invalid SKU', parsed.error.issues);
};
