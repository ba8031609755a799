import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  awsClients,
  QueryClient,
  readServiceConfig,
  VerifiedPermissionsAuthorizer,
} from '@shop/shared';
import { orderService } from '#service';
import { DynamoOrderRepository } from '../adapters/DynamoOrderRepository.js';
import { InventoryCatalogue } from '../adapters/InventoryCatalogue.js';
import { PaymentQueries } from '../adapters/PaymentQueries.js';
import type { OrderDependencies } from '../app/ports.js';

const config = readServiceConfig(orderService);
/** Order's own configuration keys, as its manifest parses them. */
export const { settings } = config;

export const clients = awsClients();
/** Every entry point asks the service's policy store. */
export const authorizer = new VerifiedPermissionsAuthorizer(
  clients.verifiedPermissions,
  config.policyStoreId,
);
export const logger = new Logger({ serviceName: 'order' });

const queries = (provider: 'inventory' | 'payment') =>
  new QueryClient({
    baseUrl: config.queriesUrl(provider),
    region: config.region,
    timeoutMs: config.queryTimeoutMs,
  });

/** The Order service wired to AWS and the other services' queries, once per execution environment. */
export const dependencies: OrderDependencies = {
  orders: new DynamoOrderRepository(clients.documents, config.tableName),
  catalogue: new InventoryCatalogue(queries('inventory')),
  payments: new PaymentQueries(queries('payment')),
  now: () => new Date(),
  newOrderId: randomUUID,
  orderExpirySeconds: settings.ORDER_EXPIRY_SECONDS,
};
