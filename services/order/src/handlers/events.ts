import { orderSubscriptions } from '@shop/contracts';
import { consumerConfig, eventConsumer } from '@shop/shared';
import { onEvent } from '../app/onEvent.js';
import { clients, dependencies, logger } from './dependencies.js';

/** Consumes the order-events queue: payment and reservation outcomes drive the order. */
export const handler = eventConsumer({
  events: orderSubscriptions.events,
  handle: (event, context) => onEvent(dependencies, event, context),
  logger,
  ...clients,
  ...consumerConfig(),
});
