import { dynamodbClients, Logger, readServiceConfig } from '@shop/shared';
import { inventoryService } from '#service';
import { DynamoInventoryRepository } from '../adapters/DynamoInventoryRepository.js';
import type { InventoryDependencies } from '../app/ports.js';

/** The service's configuration, parsed once per execution environment. */
export const config = readServiceConfig(inventoryService);

export const logger = new Logger({ serviceName: 'inventory' });

/** The Inventory service wired to AWS, once per execution environment. */
export const dependencies: InventoryDependencies = {
  inventory: new DynamoInventoryRepository(dynamodbClients().documents, config.tableName),
  now: () => new Date(),
};
