import {
  type AnyEventDefinition,
  createEventParser,
  type OutgoingEvent,
  type ReceivedEvent,
} from '@shop/contracts';

/**
 * Turns an event a producer builds into what a consumer receives from the bus: through the
 * consumer's own parser, which reads only the fields it declares.
 *
 * @throws the parser's error when the consumer cannot read the event.
 *
 * @example
 * ```ts
 * const received = receivedBy(paymentService.subscribes);
 * received(buildEvent(OrderCancelledV1, data, cause)); // { name: 'OrderCancelled', data: { orderId } }
 * ```
 */
export const receivedBy = <const D extends AnyEventDefinition>(events: readonly D[]) => {
  const parser = createEventParser(events);
  return (event: OutgoingEvent): ReceivedEvent<D> => {
    const parsed = parser.parse({
      source: event.source,
      'detail-type': event.detailType,
      detail: event.detail,
    });
    if (!parsed.ok) throw parsed.error;
    return parsed.event;
  };
};
