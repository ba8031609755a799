import type { AnyEventDefinition } from './defineEvent.js';
import { eventSource } from './services.js';

/** An EventBridge event pattern that matches exactly one event version. */
export interface EventVersionPattern {
  readonly source: readonly [string];
  readonly 'detail-type': readonly [string];
  readonly detail: { readonly metadata: { readonly version: readonly [number] } };
}

/**
 * The EventBridge event pattern matching one event version and nothing else: its producer's
 * source, its name and its major version. Consumers' rules are generated from these.
 *
 * @example
 * ```ts
 * eventPattern(OrderPlacedV2);
 * // { source: ['shop.order'], 'detail-type': ['OrderPlaced'], detail: { metadata: { version: [2] } } }
 * ```
 */
export const eventPattern = (definition: AnyEventDefinition): EventVersionPattern => ({
  source: [eventSource(definition.producer)],
  'detail-type': [definition.name],
  detail: { metadata: { version: [definition.version] } },
});
