import * as z from 'zod/mini';
import { type AnyEventDefinition, defineEvent, type EventDefinition } from './defineEvent.js';
import type { ServiceName } from './services.js';

/**
 * A consumer's view of one event version: the same name, version and producer, and only the
 * fields of `data` it reads.
 */
export type EventView<
  D extends ObjectEventDefinition = ObjectEventDefinition,
  K extends keyof ShapeOf<D> = keyof ShapeOf<D>,
> = EventDefinition<D['name'], D['version'], z.ZodMiniObject<Pick<ShapeOf<D>, K>>> & {
  readonly fields: readonly K[];
};

/** Any consumer's view of any event version. */
export type AnyEventView = AnyEventDefinition & { readonly fields: readonly string[] };

/**
 * A consumer of events: a service, by its name and the event versions it subscribes to, each
 * with the fields it reads. Every service manifest is one; its queue's rule on the bus, its
 * parser and its pacts are derived from `subscribes`.
 */
export interface Subscriber<
  C extends ServiceName = ServiceName,
  D extends AnyEventView = AnyEventView,
> {
  readonly name: C;
  readonly subscribes: readonly D[];
}

/** An event version whose `data` is an object, the only kind a consumer can read part of. */
type ObjectEventDefinition = EventDefinition<string, number, z.ZodMiniObject>;

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
