import { consumerConfig, dynamodbClients, eventConsumer, sqsClient } from '@shop/shared';
import { inventoryService } from '#service';
import { onEvent } from '../app/onEvent.js';
import { dependencies, logger } from './dependencies.js';

/** Consumes the inventory-events queue: orders placed, confirmed and cancelled move stock. */
export const handler = eventConsumer({
  events: inventoryService.subscribes,
  handle: (event, context) => onEvent(dependencies, event, context),
  logger,
  dynamodb: dynamodbClients().dynamodb,
  sqs: sqsClient(),
  ...consumerConfig(),
});
