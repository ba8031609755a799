import { catalogue } from './catalogue.js';
import { type AnyEventDefinition, eventLabel } from './defineEvent.js';
import type { Subscriber } from './reads.js';
import { type EventSource, eventSource, type ServiceName } from './services.js';

/** One row of the registry: an event version, who produces it and who consumes it. */
export interface RegistryEntry {
  readonly name: string;
  readonly version: number;
  readonly producer: ServiceName;
  readonly source: EventSource;
  readonly consumers: readonly ServiceName[];
  /** The fields of `data` each consumer reads (its view; see `reads`). */
  readonly reads: readonly { readonly consumer: ServiceName; readonly fields: readonly string[] }[];
  readonly description: string;
}

/** A subscription to an event version that the catalogue does not publish. */
export interface DanglingSubscription {
  readonly consumer: ServiceName;
  readonly event: string;
}

const sameVersion = (a: AnyEventDefinition, b: AnyEventDefinition): boolean =>
  a.name === b.name && a.version === b.version;

/**
 * Joins the catalogue (producers) with the declared subscriptions (consumers).
 *
 * @example
 * ```ts
 * buildRegistry(catalogue, [orderService, inventoryService, paymentService])
 *   .find((row) => eventLabel(row) === 'OrderPlaced v1')?.consumers; // ['inventory']
 * ```
 */
export const buildRegistry = (
  events: readonly AnyEventDefinition[] = catalogue,
  declared: readonly Subscriber[],
): RegistryEntry[] =>
  events.map((event) => {
    const reads = declared.flatMap(({ name: consumer, subscribes }) =>
      subscribes
        .filter((view) => sameVersion(view, event))
        .map((view) => ({ consumer, fields: view.fields })),
    );
    return {
      name: event.name,
      version: event.version,
      producer: event.producer,
      source: eventSource(event.producer),
      consumers: reads.map(({ consumer }) => consumer),
      reads,
      description: event.description,
    };
  });

/**
 * Subscriptions to event versions the catalogue no longer publishes. A producer may retire a
 * version only when this is empty for it.
 *
 * @example
 * ```ts
 * findDanglingSubscriptions(catalogue, [orderService, inventoryService, paymentService]); // []
 * ```
 */
export const findDanglingSubscriptions = (
  events: readonly AnyEventDefinition[] = catalogue,
  declared: readonly Subscriber[],
): DanglingSubscription[] =>
  declared.flatMap((subscriber) =>
    subscriber.subscribes
      .filter((view) => !events.some((event) => sameVersion(event, view)))
      .map((view) => ({ consumer: subscriber.name, event: eventLabel(view) })),
  );
