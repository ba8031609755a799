import type { AnyEventDefinition } from './defineEvent.js';
import type { ServiceName } from './services.js';

/** The event versions one consumer reads. Its queue's rule on the bus is generated from this. */
export interface Subscriptions<
  C extends ServiceName = ServiceName,
  D extends AnyEventDefinition = AnyEventDefinition,
> {
  readonly consumer: C;
  readonly events: readonly D[];
}

/**
 * Declares what a consumer subscribes to. Each service owns its declaration (its own file under
 * `contracts/src/subscriptions/`); its parser, its EventBridge rule and the contract tests are
 * derived from it.
 *
 * @example
 * ```ts
 * export const paymentSubscriptions = defineSubscriptions('payment', [
 *   OrderPlacedV2,
 *   InventoryReservedV1,
 *   OrderCancelledV1,
 * ]);
 * ```
 */
export const defineSubscriptions = <
  const C extends ServiceName,
  const D extends AnyEventDefinition,
>(
  consumer: C,
  events: readonly D[],
): Subscriptions<C, D> => Object.freeze({ consumer, events: Object.freeze([...events]) });
