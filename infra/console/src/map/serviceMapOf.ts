import {
  InventoryReleasedV1,
  InventoryReservationFailedV1,
  OrderCancelledV1,
  OrderConfirmedV1,
  PaymentFailedV1,
  PaymentRefundedV1,
  type ServiceManifest,
} from '@shop/contracts';
import type { ShopTopology } from '@shop/topology';
import type { MapEvent, MapQueue, MapSaga, ServiceMap } from './ServiceMap.js';

const mapEvent = (event: { readonly name: string; readonly version: number }): MapEvent => ({
  name: event.name,
  version: event.version,
});

/**
 * How an order's saga ends, and its compensation path (docs/events.md), by the contracts' event
 * names: in the map so that the console's function reads them without the events' schemas.
 */
const SAGA: MapSaga = {
  confirmed: OrderConfirmedV1.name,
  cancelled: OrderCancelledV1.name,
  compensation: [
    InventoryReservationFailedV1,
    PaymentFailedV1,
    OrderCancelledV1,
    InventoryReleasedV1,
    PaymentRefundedV1,
  ].map((event) => event.name),
};

/**
 * The shop's map, from the services' manifests and the topology derived from them: nothing in
 * it is written by hand, so it cannot drift from what the stacks deploy.
 *
 * @example
 * ```ts
 * const map = serviceMap(SHOP_SERVICES, shopTopology(SHOP_SERVICES));
 * map.rules.find((rule) => rule.service === 'payment')?.events; // [{ name: 'OrderPlaced', version: 2 }, ...]
 * ```
 */
export const serviceMap = (
  manifests: readonly ServiceManifest[],
  topology: ShopTopology,
): ServiceMap => ({
  busName: topology.busName,
  services: manifests.map((manifest) => {
    const own = topology.services.find((service) => service.service === manifest.name);
    const lattice = own?.latticeService;
    return {
      name: manifest.name,
      description: manifest.description,
      functions: (own?.functions ?? []).map((fn) => ({
        name: fn.functionName,
        trigger: fn.trigger,
        description: fn.description,
        routes: Object.values(manifest.functions[fn.handler]?.routes ?? {}).map(
          (route) => `${route.method} ${route.path} → ${route.action}`,
        ),
      })),
      publishes: manifest.publishes.map(mapEvent),
      subscribes: manifest.subscribes.map(mapEvent),
      lattice:
        lattice === undefined
          ? undefined
          : {
              name: lattice.latticeServiceName,
              queries: lattice.routes.map((route) => `${route.method} ${route.path}`),
              callers: lattice.callers.map((caller) => ({
                service: caller.service,
                queries: caller.routes.map((route) => route.name),
              })),
            },
    };
  }),
  rules: topology.consumers.map((consumer) => ({
    name: consumer.ruleName,
    service: consumer.service,
    queue: consumer.queueName,
    events: (manifests.find((m) => m.name === consumer.service)?.subscribes ?? []).map(mapEvent),
  })),
  queues: [
    ...topology.consumers.flatMap((consumer): MapQueue[] => [
      { name: consumer.queueName, service: consumer.service, kind: 'events' },
      { name: consumer.deadLetterQueueName, service: consumer.service, kind: 'dead-letters' },
    ]),
    ...topology.outboxRelays.map(
      (relay): MapQueue => ({
        name: relay.deadLetterQueueName,
        service: relay.service,
        kind: 'outbox-dead-letters',
      }),
    ),
  ],
  saga: SAGA,
});
