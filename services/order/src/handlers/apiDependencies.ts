import { randomUUID } from 'node:crypto';
import { QueryClient } from '@shop/shared';
import { InventoryCatalogue } from '../adapters/InventoryCatalogue.js';
import { PaymentQueries } from '../adapters/PaymentQueries.js';
import type { OrderDependencies } from '../app/ports.js';
import { config, settings, dependencies as state } from './dependencies.js';

const queries = (provider: 'inventory' | 'payment') =>
  new QueryClient({
    baseUrl: config.queriesUrl(provider),
    region: config.region,
    timeoutMs: config.queryTimeoutMs,
  });

/**
 * The Order service's API wired to AWS and the other services' queries, once per execution
 * environment: only the API asks Inventory and Payment, so only its bundle signs queries.
 */
export const dependencies: OrderDependencies = {
  ...state,
  catalogue: new InventoryCatalogue(queries('inventory')),
  payments: new PaymentQueries(queries('payment')),
  newOrderId: randomUUID,
  orderExpirySeconds: settings.ORDER_EXPIRY_SECONDS,
};
