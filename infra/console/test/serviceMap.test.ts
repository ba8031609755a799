import { readFileSync } from 'node:fs';
import { inventoryService } from '@shop/inventory/service';
import { orderService } from '@shop/order/service';
import { paymentService } from '@shop/payment/service';
import { shopTopology } from '@shop/topology';
import { describe, expect, it } from 'vitest';
import { consumersOf, type ServiceMap } from '../src/map/ServiceMap.js';
import { serviceMap } from '../src/map/serviceMapOf.js';

const manifests = [orderService, inventoryService, paymentService];

describe('serviceMap', () => {
  const map = serviceMap(manifests, shopTopology(manifests));

  it('is what the console draws: src/map/serviceMap.json is generated from the manifests (npm run map:generate)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../src/map/serviceMap.json', import.meta.url), 'utf8'),
    ) as ServiceMap;
    expect(committed).toEqual(JSON.parse(JSON.stringify(map)));
  });

  it('has every queue of the topology: each consumer queue and DLQ, and each outbox relay DLQ', () => {
    const topology = shopTopology(manifests);
    expect(map.queues.map((q) => q.name).sort()).toEqual(
      [
        ...topology.consumers.flatMap((c) => [c.queueName, c.deadLetterQueueName]),
        ...topology.outboxRelays.map((r) => r.deadLetterQueueName),
      ].sort(),
    );
  });

  it('tells who consumes a version of an event from the consumers’ rules', () => {
    expect(consumersOf(map, { name: 'OrderPlaced', version: 2 }).sort()).toEqual(
      manifests
        .filter((m) => m.subscribes.some((e) => e.name === 'OrderPlaced' && e.version === 2))
        .map((m) => m.name)
        .sort(),
    );
    expect(consumersOf(map, { name: 'NoSuchEvent', version: 1 })).toEqual([]);
  });

  it('says which service may call which query of a Lattice service', () => {
    const inventory = map.services.find((s) => s.name === 'inventory');
    expect(inventory?.lattice?.callers.map((c) => c.service)).toContain('order');
  });
});
