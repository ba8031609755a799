import { catalogue, eventLabel, inventorySubscriptions } from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import { shopTopology } from '../src/index.js';

describe('shopTopology', () => {
  const topology = shopTopology();

  it('gives every consumer a queue, a DLQ and one rule on the shop bus', () => {
    expect(
      topology.consumers.map((c) => [c.service, c.queueName, c.deadLetterQueueName, c.ruleName]),
    ).toEqual([
      ['order', 'order-events', 'order-events-dlq', 'order-subscriptions'],
      ['inventory', 'inventory-events', 'inventory-events-dlq', 'inventory-subscriptions'],
      ['payment', 'payment-events', 'payment-events-dlq', 'payment-subscriptions'],
    ]);
    expect(topology.busName).toBe('shop');
    expect(topology.archiveName).toBe('shop-archive');
  });

  it('gives every service a REST API on its API function, behind its authorizer', () => {
    expect(
      topology.restApis.map((api) => [api.apiName, api.functionName, api.authorizerFunctionName]),
    ).toEqual([
      ['shop-order', 'order-api', 'order-authorizer'],
      ['shop-inventory', 'inventory-api', 'inventory-authorizer'],
      ['shop-payment', 'payment-api', 'payment-authorizer'],
    ]);
  });

  it('gives every service its own table and idempotency table, and names its functions', () => {
    expect(topology.tables.map((t) => [t.tableName, t.idempotencyTableName])).toEqual([
      ['shop-order', 'shop-order-idempotency'],
      ['shop-inventory', 'shop-inventory-idempotency'],
      ['shop-payment', 'shop-payment-idempotency'],
    ]);
    expect(
      topology.functions
        .filter((f) => f.service === 'order')
        .map((f) => [f.functionName, f.trigger]),
    ).toEqual([
      ['order-events', 'queue'],
      ['order-api', 'api'],
      ['order-authorizer', 'authorizer'],
      ['order-place-order', 'invoke'],
      ['order-get-order', 'invoke'],
      ['order-cancel-order', 'invoke'],
    ]);
  });

  it('gives a service with no subscriptions no queue consumer', () => {
    const quiet = shopTopology({ subscriptions: [{ consumer: 'payment', events: [] }] });

    expect(quiet.functions.filter((f) => f.trigger === 'queue')).toEqual([]);
  });

  it("derives each rule's pattern from the consumer's declared subscriptions", () => {
    const inventory = topology.consumers.find((c) => c.service === 'inventory');

    expect(inventory?.events).toEqual(inventorySubscriptions.events.map(eventLabel));
    expect(inventory?.eventPattern.$or).toContainEqual({
      source: ['shop.order'],
      'detail-type': ['OrderPlaced'],
      detail: { metadata: { version: [1] } },
    });
    expect(inventory?.eventPattern.$or).toHaveLength(3);
  });

  it('keeps the visibility timeout at least six times the function timeout, as AWS advises', () => {
    for (const consumer of topology.consumers) {
      expect(consumer.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
        6 * consumer.functionTimeoutSeconds,
      );
    }
  });

  it('relays every producer outbox, and covers every producer in the catalogue', () => {
    const producers = new Set(catalogue.map((event) => event.producer));

    expect(topology.outboxRelays.map((relay) => relay.service).sort()).toEqual(
      [...producers].sort(),
    );
  });

  it('applies overrides, e.g. a short visibility timeout for local runs', () => {
    const local = shopTopology({ settings: { visibilityTimeoutSeconds: 2 } });

    expect(local.consumers.every((c) => c.visibilityTimeoutSeconds === 2)).toBe(true);
  });
});
