import type * as z from 'zod/mini';
import type { ServiceName } from './services.js';

/**
 * One major version of one event: its name (the EventBridge `detail-type`), its producer and the
 * zod schema of its `detail.data`.
 */
export interface EventDefinition<
  N extends string = string,
  V extends number = number,
  S extends z.core.$ZodType = z.core.$ZodType,
> {
  readonly name: N;
  readonly version: V;
  readonly producer: ServiceName;
  readonly description: string;
  readonly schema: S;
  /** A valid `data` payload; used in docs, schemas and contract tests. */
  readonly example: z.input<S>;
}

/** Any event definition. */
export type AnyEventDefinition = EventDefinition<string, number, z.core.$ZodType>;

/** The `data` type of an event definition. */
export type EventData<D extends AnyEventDefinition> = z.output<D['schema']>;

/**
 * Declares one version of an event. The producer is the only service allowed to publish it.
 *
 * @example
 * ```ts
 * export const OrderConfirmedV1 = defineEvent({
 *   name: 'OrderConfirmed',
 *   version: 1,
 *   producer: 'order',
 *   description: 'Payment succeeded and the order is final.',
 *   schema: OrderConfirmedV1Schema,
 *   example: { orderId, customerId },
 * });
 * ```
 */
export const defineEvent = <
  const N extends string,
  const V extends number,
  S extends z.core.$ZodType,
>(
  definition: EventDefinition<N, V, S>,
): EventDefinition<N, V, S> => Object.freeze({ ...definition });

/** `OrderPlaced v2`: how an event version is named in messages and documents. */
export const eventLabel = (definition: Pick<AnyEventDefinition, 'name' | 'version'>): string =>
  `${definition.name} v${definition.version}`;
