import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients, readConfig, VerifiedPermissionsAuthorizer } from '@shop/shared';
import { z } from 'zod';
import { DynamoInventoryRepository } from '../adapters/DynamoInventoryRepository.js';
import type { InventoryDependencies } from '../app/ports.js';

const config = readConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    /** The service's own Verified Permissions policy store. */
    POLICY_STORE_ID: z.string().min(1),
  }),
);

export const clients = awsClients();
/** Every entry point asks the service's policy store. */
export const authorizer = new VerifiedPermissionsAuthorizer(
  clients.verifiedPermissions,
  config.POLICY_STORE_ID,
);
export const logger = new Logger({ serviceName: 'inventory' });

/** The Inventory service wired to AWS, once per execution environment. */
export const dependencies: InventoryDependencies = {
  inventory: new DynamoInventoryRepository(clients.documents, config.TABLE_NAME),
  now: () => new Date(),
};
