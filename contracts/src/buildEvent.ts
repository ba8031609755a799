import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { AnyEventDefinition, EventData } from './defineEvent.js';
import { eventLabel } from './defineEvent.js';
import type { EventMetadata } from './envelope.js';
import { InvalidEventDataError } from './errors.js';
import { type EventSource, eventSource } from './services.js';

/** What links a new event to the flow it belongs to and to what caused it. */
export interface EventCause {
  readonly correlationId: string;
  readonly causationId: string;
}

/** Optional overrides, mainly for deterministic tests. */
export interface BuildEventOptions {
  /** @default a random UUID */
  readonly eventId?: string;
  /** @default now */
  readonly occurredAt?: Date;
}

/**
 * An event ready to be published: the fields of an EventBridge `PutEvents` entry, with `detail`
 * still an object.
 */
export interface OutgoingEvent<D extends AnyEventDefinition = AnyEventDefinition> {
  readonly source: EventSource;
  readonly detailType: D['name'];
  readonly detail: {
    readonly metadata: EventMetadata & { readonly version: D['version'] };
    readonly data: EventData<D>;
  };
}

/**
 * Builds an event in the shop's envelope for a producer. The data is validated against the
 * schema of the version, so a producer cannot publish an event its consumers would reject.
 *
 * @throws {InvalidEventDataError} when `data` does not match the schema.
 *
 * @example
 * ```ts
 * const event = buildEvent(OrderConfirmedV1, { orderId, customerId }, {
 *   correlationId: orderId,
 *   causationId: paymentSucceeded.metadata.eventId,
 * });
 * event.detail.metadata.version; // 1
 * ```
 */
export const buildEvent = <D extends AnyEventDefinition>(
  definition: D,
  data: EventData<D>,
  cause: EventCause,
  options: BuildEventOptions = {},
): OutgoingEvent<D> => {
  const parsed = z.safeParse(definition.schema, data);
  if (!parsed.success) {
    throw new InvalidEventDataError(eventLabel(definition), parsed.error.issues);
  }
  return {
    source: eventSource(definition.producer),
    detailType: definition.name,
    detail: {
      metadata: {
        eventId: options.eventId ?? randomUUID(),
        version: definition.version,
        occurredAt: (options.occurredAt ?? new Date()).toISOString(),
        correlationId: cause.correlationId,
        causationId: cause.causationId,
      },
      data: parsed.data as EventData<D>,
    },
  };
};

/**
 * The cause of an event produced in reaction to another one: same correlation, caused by it.
 *
 * @example
 * ```ts
 * buildEvent(InventoryReservedV1, data, causedBy(orderPlaced));
 * ```
 */
export const causedBy = (event: { readonly metadata: EventMetadata }): EventCause => ({
  correlationId: event.metadata.correlationId,
  causationId: event.metadata.eventId,
});
