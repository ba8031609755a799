/** One version of one event, as the bus carries it. */
export interface MapEvent {
  /** The `detail-type`, e.g. `OrderPlaced`. */
  readonly name: string;
  readonly version: number;
}

/** One function of a service: what invokes it, and the routes it serves. */
export interface MapFunction {
  readonly name: string;
  readonly trigger: string;
  readonly description: string;
  /** `GET /admin/orders → ListAllOrders`, for the functions behind an API. */
  readonly routes: readonly string[];
}

/** One queue of the shop and whose it is. */
export interface MapQueue {
  readonly name: string;
  readonly service: string;
  /** `events`: a consumer's queue; `dead-letters`: its DLQ; `outbox-dead-letters`: its relay's. */
  readonly kind: 'events' | 'dead-letters' | 'outbox-dead-letters';
}

/** One rule on the bus: the event versions it sends to one consumer's queue. */
export interface MapRule {
  readonly name: string;
  readonly service: string;
  readonly queue: string;
  readonly events: readonly MapEvent[];
}

/** A service's Lattice service: its queries, and which services may call which. */
export interface MapLatticeService {
  readonly name: string;
  readonly queries: readonly string[];
  readonly callers: readonly { readonly service: string; readonly queries: readonly string[] }[];
}

/** One service: its functions, what it publishes and reads, its Lattice service. */
export interface MapService {
  readonly name: string;
  readonly description: string;
  readonly functions: readonly MapFunction[];
  readonly publishes: readonly MapEvent[];
  readonly subscribes: readonly MapEvent[];
  readonly lattice: MapLatticeService | undefined;
}

/** The events (`detail-type`) that end an order's saga, and those of its compensation path. */
export interface MapSaga {
  readonly confirmed: string;
  readonly cancelled: string;
  /** docs/events.md: the events that undo or stop an order that failed. */
  readonly compensation: readonly string[];
}

/** The shop as its manifests and topology declare it: what the console's map draws. */
export interface ServiceMap {
  readonly busName: string;
  readonly services: readonly MapService[];
  readonly rules: readonly MapRule[];
  readonly queues: readonly MapQueue[];
  readonly saga: MapSaga;
}

/**
 * The services whose rules send this version of an event to their queue.
 *
 * @example
 * ```ts
 * consumersOf(map, { name: 'OrderPlaced', version: 2 }); // ['inventory', 'payment']
 * ```
 */
export const consumersOf = (map: ServiceMap, event: MapEvent): string[] =>
  map.rules
    .filter((rule) => rule.events.some((e) => e.name === event.name && e.version === event.version))
    .map((rule) => rule.service);
