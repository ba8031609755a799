import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients, QueryClient, readConfig, VerifiedPermissionsAuthorizer } from '@shop/shared';
import { z } from 'zod';
import { DynamoOrderRepository } from '../adapters/DynamoOrderRepository.js';
import { InventoryCatalogue } from '../adapters/InventoryCatalogue.js';
import { PaymentQueries } from '../adapters/PaymentQueries.js';
import type { OrderDependencies } from '../app/ports.js';

const config = readConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    /** The service's own Verified Permissions policy store. */
    POLICY_STORE_ID: z.string().min(1),
    AWS_REGION: z.string().min(1),
    /** The Lattice services' URLs, from the providers' SSM parameters. */
    INVENTORY_QUERIES_URL: z.url(),
    PAYMENT_QUERIES_URL: z.url(),
    /** The budget of one query, retries included. */
    QUERY_TIMEOUT_MS: z.coerce.number().int().min(1).default(2000),
  }),
);

export const clients = awsClients();
/** Every entry point asks the service's policy store. */
export const authorizer = new VerifiedPermissionsAuthorizer(
  clients.verifiedPermissions,
  config.POLICY_STORE_ID,
);
export const logger = new Logger({ serviceName: 'order' });

const queries = (baseUrl: string) =>
  new QueryClient({ baseUrl, region: config.AWS_REGION, timeoutMs: config.QUERY_TIMEOUT_MS });

/** The Order service wired to AWS and the other services' queries, once per execution environment. */
export const dependencies: OrderDependencies = {
  orders: new DynamoOrderRepository(clients.documents, config.TABLE_NAME),
  catalogue: new InventoryCatalogue(queries(config.INVENTORY_QUERIES_URL)),
  payments: new PaymentQueries(queries(config.PAYMENT_QUERIES_URL)),
  now: () => new Date(),
  newOrderId: randomUUID,
};
