import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients, readConfig } from '@shop/shared';
import { z } from 'zod';
import { DynamoInventoryRepository } from '../adapters/DynamoInventoryRepository.js';
import type { InventoryDependencies } from '../app/ports.js';

const config = readConfig(z.object({ TABLE_NAME: z.string().min(1) }));

export const clients = awsClients();
export const logger = new Logger({ serviceName: 'inventory' });

/** The Inventory service wired to AWS, once per execution environment. */
export const dependencies: InventoryDependencies = {
  inventory: new DynamoInventoryRepository(clients.documents, config.TABLE_NAME),
  now: () => new Date(),
};
