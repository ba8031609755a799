import { MatchersV3 } from '@pact-foundation/pact';
import {
  type AnyEventDefinition,
  EXAMPLE_ORDER_ID,
  eventSource,
  type OutgoingEvent,
} from '@shop/contracts';

const { like, regex, uuid } = MatchersV3;

const EXAMPLE_EVENT_ID = '5f0c2a9e-8d14-4b7a-9e36-1c2d3e4f5a6b';

/** An instant as `z.iso.datetime()` accepts it: UTC, optional fraction of a second. */
const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';

/**
 * What a consumer expects of one event version, as the bus delivers it: the producer's source,
 * the event's name and version exactly, every metadata field by its format, and `data` as the
 * consumer describes it with Pact matchers (the fields it reads, never more).
 *
 * @example
 * ```ts
 * expectedMessage(OrderCancelledV1, { orderId: uuid(EXAMPLE_ORDER_ID) });
 * ```
 */
export const expectedMessage = (event: AnyEventDefinition, data: Record<string, unknown>) => ({
  source: eventSource(event.producer),
  'detail-type': event.name,
  detail: {
    metadata: {
      eventId: uuid(EXAMPLE_EVENT_ID),
      version: event.version,
      occurredAt: regex(ISO_INSTANT, '2026-11-23T10:00:00.000Z'),
      correlationId: like(EXAMPLE_ORDER_ID),
      causationId: like(EXAMPLE_ORDER_ID),
    },
    data,
  },
});

/**
 * A producer's event as its consumers receive it from EventBridge: what the producer wrote
 * (`source`, `detail-type`, `detail`). The fields EventBridge adds (`id`, `time`, `account`,
 * `region`, `resources`) are not the producer's to promise, so no pact asks for them.
 */
export const deliveredMessage = (event: OutgoingEvent) => ({
  source: event.source,
  'detail-type': event.detailType,
  detail: event.detail,
});
