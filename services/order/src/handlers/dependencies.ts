import { dynamodbClients, Logger, readServiceConfig } from '@shop/shared';
import { orderService } from '#service';
import { DynamoOrderRepository } from '../adapters/DynamoOrderRepository.js';
import type { OrderStateDependencies } from '../app/ports.js';

/** The service's configuration, parsed once per execution environment. */
export const config = readServiceConfig(orderService);
/** Order's own configuration keys, as its manifest parses them. */
export const { settings } = config;

export const logger = new Logger({ serviceName: 'order' });

/** Order's table and clock, once per execution environment: what every handler needs. */
export const dependencies: OrderStateDependencies = {
  orders: new DynamoOrderRepository(dynamodbClients().documents, config.tableName),
  now: () => new Date(),
};
