import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients, readServiceConfig, VerifiedPermissionsAuthorizer } from '@shop/shared';
import { inventoryService } from '#service';
import { DynamoInventoryRepository } from '../adapters/DynamoInventoryRepository.js';
import type { InventoryDependencies } from '../app/ports.js';

const config = readServiceConfig(inventoryService);

export const clients = awsClients();
/** Every entry point asks the service's policy store. */
export const authorizer = new VerifiedPermissionsAuthorizer(
  clients.verifiedPermissions,
  config.policyStoreId,
);
export const logger = new Logger({ serviceName: 'inventory' });

/** The Inventory service wired to AWS, once per execution environment. */
export const dependencies: InventoryDependencies = {
  inventory: new DynamoInventoryRepository(clients.documents, config.tableName),
  now: () => new Date(),
};
