import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyStore } from '@shop/authorization';
import type { ServiceName } from '@shop/contracts';

/**
 * The local id of a service's policy store.
 *
 * @example
 * ```ts
 * policyStoreId('order'); // 'local-order'
 * ```
 */
export const policyStoreId = (service: ServiceName): string => `local-${service}`;

/**
 * A service's Cedar policy store, from its package's `policies/`.
 *
 * @example
 * ```ts
 * const stores = { [policyStoreId('order')]: policyStoreOf('order') };
 * ```
 */
export const policyStoreOf = (service: ServiceName) =>
  loadPolicyStore(
    service,
    dirname(fileURLToPath(import.meta.resolve(`@shop/${service}/policies/schema.cedarschema`))),
  );
