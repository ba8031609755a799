import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { awsClients, readConfig } from '@shop/shared';
import { z } from 'zod';
import { ConfiguredPriceList, PriceListSchema } from '../adapters/ConfiguredPriceList.js';
import { DynamoOrderRepository } from '../adapters/DynamoOrderRepository.js';
import type { OrderDependencies } from '../app/ports.js';

const config = readConfig(
  z.object({
    TABLE_NAME: z.string().min(1),
    PRICE_LIST: z
      .string()
      .transform((json) => JSON.parse(json) as unknown)
      .pipe(PriceListSchema),
  }),
);

export const clients = awsClients();
export const logger = new Logger({ serviceName: 'order' });

/** The Order service wired to AWS, once per execution environment. */
export const dependencies: OrderDependencies = {
  orders: new DynamoOrderRepository(clients.documents, config.TABLE_NAME),
  priceList: new ConfiguredPriceList(config.PRICE_LIST),
  now: () => new Date(),
  newOrderId: randomUUID,
};
