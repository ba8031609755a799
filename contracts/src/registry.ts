import { catalogue } from './catalogue.js';
import type { AnyEventDefinition } from './defineEvent.js';
import { eventLabel } from './defineEvent.js';
import type { Subscriptions } from './defineSubscriptions.js';
import { type EventSource, eventSource, type ServiceName } from './services.js';
import { inventorySubscriptions } from './subscriptions/inventory.js';
import { orderSubscriptions } from './subscriptions/order.js';
import { paymentSubscriptions } from './subscriptions/payment.js';

/**
 * Every consumer's declared subscriptions.
 *
 * @example
 * ```ts
 * subscriptions.find((s) => s.consumer === 'payment')?.events.map(eventLabel);
 * // ['OrderPlaced v2', 'InventoryReserved v1', 'OrderCancelled v1']
 * ```
 */
export const subscriptions = [
  orderSubscriptions,
  inventorySubscriptions,
  paymentSubscriptions,
] as const satisfies readonly Subscriptions[];

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
 * buildRegistry().find((row) => eventLabel(row) === 'OrderPlaced v1')?.consumers; // ['inventory']
 * ```
 */
export const buildRegistry = (
  events: readonly AnyEventDefinition[] = catalogue,
  declared: readonly Subscriptions[] = subscriptions,
): RegistryEntry[] =>
  events.map((event) => {
    const reads = declared.flatMap(({ consumer, events: views }) =>
      views
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
 * findDanglingSubscriptions(); // []
 * ```
 */
export const findDanglingSubscriptions = (
  events: readonly AnyEventDefinition[] = catalogue,
  declared: readonly Subscriptions[] = subscriptions,
): DanglingSubscription[] =>
  declared.flatMap((subscription) =>
    subscription.events
      .filter((sub) => !events.some((event) => sameVersion(event, sub)))
      .map((sub) => ({ consumer: subscription.consumer, event: eventLabel(sub) })),
  );
