import { GetStock, ListProducts, type ServiceFunction } from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import { QueryConsentError, serviceTopology, shopTopology } from '../src/index.js';
import { inventory, order, payment, SHOP } from './fixtures.js';

describe('serviceTopology', () => {
  it("names a service's tables, functions, queue, rule, relay and REST API after it", () => {
    const topology = serviceTopology(inventory);

    expect(topology.tables).toEqual({
      service: 'inventory',
      tableName: 'shop-inventory',
      idempotencyTableName: 'shop-inventory-idempotency',
    });
    expect(topology.functions.map((f) => [f.functionName, f.handler, f.trigger])).toEqual([
      ['inventory-api', 'api', 'rest'],
      ['inventory-authorizer', 'authorizer', 'authorizer'],
      ['inventory-events', 'events', 'queue'],
      ['inventory-queries', 'queries', 'lattice'],
    ]);
    expect(topology.consumer).toMatchObject({
      queueName: 'inventory-events',
      deadLetterQueueName: 'inventory-events-dlq',
      ruleName: 'inventory-subscriptions',
      functionName: 'inventory-events',
      events: ['OrderPlaced v1'],
    });
    expect(topology.outboxRelay).toMatchObject({
      tableName: 'shop-inventory',
      deadLetterQueueName: 'inventory-outbox-dlq',
    });
    expect(topology.restApi).toEqual({
      service: 'inventory',
      apiName: 'shop-inventory',
      functionName: 'inventory-api',
      authorizerFunctionName: 'inventory-authorizer',
    });
  });

  it('gives a staff function a rule for its service’s prefix at its service’s priority, and a service without customer routes no REST API', () => {
    const staff: ServiceFunction = {
      trigger: 'staff',
      description: 'staff',
      access: { authorize: true },
      routes: { setStock: { method: 'PUT', path: '/admin/things/{id}', action: 'SetThing' } },
    };
    const { api: _api, authorizer: _authorizer, ...others } = inventory.functions;
    const topology = serviceTopology({ ...inventory, functions: { ...others, staff } });

    expect(topology.staffRoute).toEqual({
      service: 'inventory',
      functionName: 'inventory-staff',
      prefix: '/inventory',
      pathPattern: '/inventory/*',
      priority: 20,
    });
    expect(topology.restApi).toBeUndefined();
    expect(serviceTopology(inventory).staffRoute).toBeUndefined();
  });

  it('derives the rule’s pattern from exactly the versions the consumer subscribes to', () => {
    expect(serviceTopology(payment).consumer?.eventPattern.$or).toEqual([
      {
        source: ['shop.order'],
        'detail-type': ['OrderPlaced'],
        detail: { metadata: { version: [2] } },
      },
      {
        source: ['shop.inventory'],
        'detail-type': ['InventoryReserved'],
        detail: { metadata: { version: [1] } },
      },
    ]);
  });

  it("gives every function its consumer's timeout, and the concurrency its manifest declares", () => {
    const reserved = {
      ...inventory,
      functions: {
        ...inventory.functions,
        queries: { ...inventory.functions.queries, concurrency: 7 },
      },
    };
    const topology = serviceTopology(reserved, { settings: { functionTimeoutSeconds: 12 } });

    expect(
      topology.functions.map((f) => [f.functionName, f.timeoutSeconds, f.concurrency]),
    ).toEqual([
      ['inventory-api', 12, undefined],
      ['inventory-authorizer', 12, undefined],
      ['inventory-events', 12, undefined],
      ['inventory-queries', 12, 7],
    ]);
    expect(serviceTopology(order).functions.map((f) => f.timeoutSeconds)).toEqual([30, 30]);
  });

  it('gives a service that subscribes to nothing no queue, and one that offers no query no Lattice service', () => {
    const topology = serviceTopology(order);

    expect(topology.consumer).toBeUndefined();
    expect(topology.latticeService).toBeUndefined();
  });

  it('keeps the visibility timeout at least six times the function timeout, as AWS advises', () => {
    const consumer = serviceTopology(inventory).consumer;

    expect(consumer?.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
      6 * (consumer?.functionTimeoutSeconds ?? Number.POSITIVE_INFINITY),
    );
  });

  it('gives each function a schedule triggers its schedule, invoked as a role of its own', () => {
    const sweep: ServiceFunction = {
      trigger: 'schedule',
      schedule: 'rate(5 minutes)',
      description: 'sweeps',
      access: { table: 'read-write', deadlines: 'read' },
    };

    const topology = serviceTopology({
      ...inventory,
      functions: { ...inventory.functions, sweepHolds: sweep },
    });

    expect(topology.schedules).toEqual([
      {
        service: 'inventory',
        scheduleName: 'inventory-sweep-holds',
        functionName: 'inventory-sweep-holds',
        expression: 'rate(5 minutes)',
        rateSeconds: 300,
        roleName: 'inventory-sweep-holds-schedule',
      },
    ]);
    expect(serviceTopology(inventory).schedules).toEqual([]);
  });

  it('applies overrides, e.g. a short visibility timeout for local runs', () => {
    expect(
      serviceTopology(inventory, { settings: { visibilityTimeoutSeconds: 2 } }).consumer
        ?.visibilityTimeoutSeconds,
    ).toBe(2);
  });
});

describe('shopTopology', () => {
  it('gathers every service on the one bus and its archive', () => {
    const topology = shopTopology(SHOP);

    expect([topology.busName, topology.archiveName, topology.archiveRetentionDays]).toEqual([
      'shop',
      'shop-archive',
      14,
    ]);
    expect(topology.consumers.map((c) => c.queueName)).toEqual([
      'inventory-events',
      'payment-events',
    ]);
    expect(topology.outboxRelays.map((r) => r.service)).toEqual(['order', 'inventory', 'payment']);
    expect(topology.latticeServices.map((l) => l.latticeServiceName)).toEqual([
      'shop-inventory',
      'shop-payment',
    ]);
  });

  it('refuses a query call its provider does not consent to', () => {
    const api: ServiceFunction = {
      ...order.functions.api,
      access: { ...order.functions.api.access, queries: [ListProducts, GetStock] },
    };
    const greedy = { ...order, functions: { ...order.functions, api } };

    expect(() => shopTopology([greedy, inventory, payment])).toThrow(QueryConsentError);
    expect(() => shopTopology([greedy, inventory, payment])).toThrow(
      'order calls GetStock, which inventory does not let it call',
    );
  });

  it('refuses a consent nobody uses: access nobody needs', () => {
    const quiet = {
      ...order,
      functions: {
        api: { ...order.functions.api, access: {} },
        authorizer: order.functions.authorizer,
      },
    };

    expect(() => shopTopology([quiet, inventory, payment])).toThrow(
      'inventory lets order call ListProducts, which it never calls',
    );
  });
});
