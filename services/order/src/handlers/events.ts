import { consumerConfig, dynamodbClients, eventConsumer, sqsClient } from '@shop/shared';
import { orderService } from '#service';
import { onEvent } from '../app/onEvent.js';
import { dependencies, logger } from './dependencies.js';

/** Consumes the order-events queue: payment and reservation outcomes drive the order. */
export const handler = eventConsumer({
  events: orderService.subscribes,
  handle: (event, context) => onEvent(dependencies, event, context),
  logger,
  dynamodb: dynamodbClients().dynamodb,
  sqs: sqsClient(),
  ...consumerConfig(),
});
