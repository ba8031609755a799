import { z } from 'zod';
import { type AnyEventDefinition, defineEvent, type EventDefinition } from './defineEvent.js';
import type { ServiceName } from './services.js';

/**
 * A consumer's view of one event version: the same name, version and producer, and only the
 * fields of `data` it reads.
 */
export type EventView<
  D extends ObjectEventDefinition = ObjectEventDefinition,
  K extends keyof ShapeOf<D> = keyof ShapeOf<D>,
> = EventDefinition<D['name'], D['version'], z.ZodObject<Pick<ShapeOf<D>, K>>> & {
  readonly fields: readonly K[];
};

/** Any consumer's view of any event version. */
export type AnyEventView = AnyEventDefinition & { readonly fields: readonly string[] };

/** The event versions one consumer reads. Its queue's rule on the bus is generated from this. */
export interface Subscriptions<
  C extends ServiceName = ServiceName,
  D extends AnyEventView = AnyEventView,
> {
  readonly consumer: C;
  readonly events: readonly D[];
}

/** An event version whose `data` is an object, the only kind a consumer can read part of. */
type ObjectEventDefinition = EventDefinition<string, number, z.ZodObject>;

type ShapeOf<D extends ObjectEventDefinition> = D['schema']['shape'];

/**
 * A consumer's view of one event version: only the fields of `data` it reads (a tolerant
 * reader). Its parser checks and returns those fields alone, so the producer may add fields and
 * the consumer never depends on one it does not use; the consumer's pact asks for exactly these.
 *
 * @example
 * ```ts
 * reads(OrderPlacedV1, ['orderId', 'lines']).schema.parse(OrderPlacedV1.example);
 * // { orderId, lines }: customerId and total are not Inventory's concern
 * ```
 */
export const reads = <const D extends ObjectEventDefinition, const K extends keyof ShapeOf<D>>(
  definition: D,
  fields: readonly [K, ...K[]],
): EventView<D, K> => {
  const picked = (value: object) =>
    Object.fromEntries(Object.entries(value).filter(([key]) => fields.includes(key as K)));
  return Object.freeze({
    ...defineEvent({
      ...definition,
      schema: z.object(picked(definition.schema.shape)),
      example: picked(definition.example),
    }),
    fields: Object.freeze([...fields]),
  }) as unknown as EventView<D, K>;
};

/**
 * Declares what a consumer subscribes to, and which fields of each event version it reads. Each
 * service owns its declaration (its own file under `contracts/src/subscriptions/`); its parser
 * and its EventBridge rule are derived from it, and its pact must ask for exactly these fields.
 *
 * @example
 * ```ts
 * export const paymentSubscriptions = defineSubscriptions('payment', [
 *   reads(OrderPlacedV2, ['orderId', 'customerId', 'total', 'paymentToken']),
 *   reads(InventoryReservedV1, ['orderId']),
 *   reads(OrderCancelledV1, ['orderId']),
 * ]);
 * ```
 */
export const defineSubscriptions = <const C extends ServiceName, const D extends AnyEventView>(
  consumer: C,
  events: readonly D[],
): Subscriptions<C, D> => Object.freeze({ consumer, events: Object.freeze([...events]) });
