import { consumerConfig, dynamodbClients, eventConsumer, sqsClient } from '@shop/shared';
import { paymentService } from '#service';
import { onEvent } from '../app/onEvent.js';
import { dependencies, logger } from './dependencies.js';

/** Consumes the payment-events queue: charges once an order is placed and its stock held; refunds on cancel. */
export const handler = eventConsumer({
  events: paymentService.subscribes,
  handle: (event, context) => onEvent(dependencies, event, context),
  logger,
  dynamodb: dynamodbClients().dynamodb,
  sqs: sqsClient(),
  ...consumerConfig(),
});
