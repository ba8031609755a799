import { describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_REDRIVE_ROUTE,
  DEAD_LETTERS_ROUTE,
  defineService,
  functionName,
  queriesCalledBy,
  type ServiceFunction,
  ServiceManifestError,
} from '../src/defineService.js';
import { InventoryReservedV1 } from '../src/events/inventory.js';
import { OrderPlacedV1 } from '../src/events/order.js';
import { PaymentSucceededV1 } from '../src/events/payment.js';
import { GetProduct, GetStock, ListProducts } from '../src/queries/inventory.js';
import { GetPayment } from '../src/queries/payment.js';
import { reads } from '../src/reads.js';
import { functionEnvironment } from '../src/serviceEnvironment.js';

const rest: ServiceFunction = {
  trigger: 'rest',
  description: 'API',
  access: { authorize: true },
  routes: { listProducts: { method: 'GET', path: '/products', action: 'ViewCatalogue' } },
};
const authorizer: ServiceFunction = { trigger: 'authorizer', description: 'tokens', access: {} };
const staffRoutes = {
  setStock: { method: 'PUT', path: '/admin/products/{sku}/stock', action: 'SetStock' },
} as const;

const inventory = {
  name: 'inventory',
  description: 'stock',
  publishes: [],
  subscribes: [reads(OrderPlacedV1, ['orderId', 'lines'])],
  queries: { offers: [ListProducts, GetProduct], callers: { order: [ListProducts] } },
  functions: {
    api: { ...rest, access: { table: 'read', authorize: true } },
    authorizer,
    staff: {
      trigger: 'staff',
      description: 'staff',
      access: { table: 'read-write', deadLetters: 'redrive', authorize: true },
      routes: {
        ...staffRoutes,
        viewDeadLetters: DEAD_LETTERS_ROUTE,
        redriveDeadLetters: DEAD_LETTER_REDRIVE_ROUTE,
      },
    },
    events: {
      trigger: 'queue',
      description: 'reserve',
      access: { table: 'read-write', idempotency: 'records' },
    },
    queries: { trigger: 'lattice', description: 'answer', access: { table: 'read' } },
  },
  policies: 'policies',
} as const;

/** The fixture's functions but one. */
const functionsWithout = (key: keyof typeof inventory.functions) =>
  Object.fromEntries(Object.entries(inventory.functions).filter(([name]) => name !== key));

describe('defineService', () => {
  it('accepts a consistent manifest and freezes it', () => {
    const manifest = defineService(inventory);

    expect(Object.isFrozen(manifest)).toBe(true);
    expect(manifest.functions.events.trigger).toBe('queue');
  });

  it('accepts a service with staff routes and no customer API, so neither REST API nor authorizer', () => {
    const { api: _api, authorizer: _authorizer, ...functions } = inventory.functions;

    expect(Object.keys(defineService({ ...inventory, functions }).functions)).toEqual([
      'staff',
      'events',
      'queries',
    ]);
  });

  it('accepts a function a schedule triggers, with its rate', () => {
    const sweep = {
      trigger: 'schedule',
      schedule: 'rate(5 minutes)',
      description: 'sweeps',
      access: { table: 'read-write', deadlines: 'read' },
    } as const;

    expect(
      defineService({ ...inventory, functions: { ...inventory.functions, sweep } }).functions.sweep,
    ).toEqual(sweep);
  });

  it('accepts a function that declares its concurrency', () => {
    const queries = { ...inventory.functions.queries, concurrency: 20 };

    expect(
      defineService({ ...inventory, functions: { ...inventory.functions, queries } }).functions
        .queries.concurrency,
    ).toBe(20);
  });

  it.each([
    [
      'a subscription to its own event',
      { subscribes: [reads(InventoryReservedV1, ['orderId'])] },
      'it subscribes to its own event',
    ],
    [
      'a subscription to one version twice',
      {
        subscribes: [reads(OrderPlacedV1, ['orderId', 'lines']), reads(OrderPlacedV1, ['orderId'])],
      },
      'it subscribes to an event version twice',
    ],
    ['an event of another producer', { publishes: [PaymentSucceededV1] }, 'it publishes an event'],
    [
      'a query of another provider',
      { queries: { offers: [GetPayment], callers: {} } },
      'it offers a query another service provides',
    ],
    [
      'consent to a query it does not offer',
      { queries: { offers: [ListProducts], callers: { order: [GetStock] } } },
      'it lets a caller invoke a query it does not offer',
    ],
    [
      'no queue function although it subscribes',
      {
        functions: {
          api: rest,
          authorizer,
          staff: inventory.functions.staff,
          queries: inventory.functions.queries,
        },
      },
      'exactly one queue function',
    ],
    [
      'a queue function without idempotency records',
      {
        functions: {
          ...inventory.functions,
          events: { ...inventory.functions.events, access: { table: 'read-write' } },
        },
      },
      'its queue function keeps no idempotency records',
    ],
    ['a Lattice function without queries', { queries: undefined }, 'exactly one Lattice function'],
    [
      'a redrive without a queue',
      {
        subscribes: [],
        functions: {
          api: inventory.functions.api,
          authorizer,
          staff: inventory.functions.staff,
          queries: inventory.functions.queries,
        },
      },
      'has no queue',
    ],
    [
      'a REST API without routes',
      { functions: { ...inventory.functions, api: { ...inventory.functions.api, routes: {} } } },
      'the REST API and staff functions, and only they, declare their routes',
    ],
    [
      'a staff function without routes',
      {
        functions: { ...inventory.functions, staff: { ...inventory.functions.staff, routes: {} } },
      },
      'the REST API and staff functions, and only they, declare their routes',
    ],
    [
      'a REST API without its authorizer',
      { functions: functionsWithout('authorizer') },
      'an authorizer exactly when it has one',
    ],
    [
      'an authorizer without a REST API',
      { functions: functionsWithout('api') },
      'an authorizer exactly when it has one',
    ],
    [
      'two staff functions',
      { functions: { ...inventory.functions, moreStaff: inventory.functions.staff } },
      'at most one staff function',
    ],
    [
      'a staff route on the customer API',
      {
        functions: {
          ...inventory.functions,
          api: { ...inventory.functions.api, routes: { ...rest.routes, ...staffRoutes } },
        },
      },
      "the staff function's routes, and only they, are under /admin/",
    ],
    [
      'a customer route on the staff function',
      {
        functions: {
          ...inventory.functions,
          staff: {
            ...inventory.functions.staff,
            routes: { ...inventory.functions.staff.routes, ...rest.routes },
          },
        },
      },
      "the staff function's routes, and only they, are under /admin/",
    ],
    [
      'a dead-letter grant without the dead-letter routes',
      {
        functions: {
          ...inventory.functions,
          staff: { ...inventory.functions.staff, routes: staffRoutes },
        },
      },
      'has the dead-letter access exactly when it has the routes to view and redrive them',
    ],
    [
      'the redrive route without the route to view dead letters',
      {
        functions: {
          ...inventory.functions,
          staff: {
            ...inventory.functions.staff,
            routes: { ...staffRoutes, redriveDeadLetters: DEAD_LETTER_REDRIVE_ROUTE },
          },
        },
      },
      'has the dead-letter access exactly when it has the routes to view and redrive them',
    ],
    [
      'a scheduled function without its schedule',
      {
        functions: {
          ...inventory.functions,
          sweep: { trigger: 'schedule', description: 'sweeps', access: {} },
        },
      },
      'declares a schedule exactly when a schedule triggers it',
    ],
    [
      'a schedule on a function no schedule triggers',
      {
        functions: {
          ...inventory.functions,
          queries: { ...inventory.functions.queries, schedule: 'rate(1 minute)' },
        },
      },
      'declares a schedule exactly when a schedule triggers it',
    ],
    [
      'a schedule that is not a rate expression',
      {
        functions: {
          ...inventory.functions,
          sweep: {
            trigger: 'schedule',
            schedule: 'rate(1 minutes)',
            description: 'sweeps',
            access: {},
          },
        },
      },
      'a schedule is not a rate expression',
    ],
    [
      'a concurrency that is not a positive whole number',
      {
        functions: {
          ...inventory.functions,
          queries: { ...inventory.functions.queries, concurrency: 0.5 },
        },
      },
      'concurrency is not a positive whole number',
    ],
    [
      'a function key that is not a module name',
      { functions: { ...inventory.functions, 'put-product': rest } },
      'camel case',
    ],
  ])('refuses %s', (_, change, problem) => {
    expect(() => defineService({ ...inventory, ...change } as typeof inventory)).toThrow(
      ServiceManifestError,
    );
    expect(() => defineService({ ...inventory, ...change } as typeof inventory)).toThrow(problem);
  });
});

describe('functionName', () => {
  it('deploys a handler as <service>-<handler in kebab case>', () => {
    expect(functionName('order', 'placeOrder')).toBe('order-place-order');
    expect(functionName('payment', 'events')).toBe('payment-events');
  });
});

describe('queriesCalledBy', () => {
  it("is every query any of the service's functions calls, once", () => {
    const order = defineService({
      name: 'order',
      description: 'orders',
      publishes: [],
      subscribes: [reads(PaymentSucceededV1, ['orderId'])],
      functions: {
        api: { ...rest, access: { queries: [ListProducts, GetPayment] } },
        authorizer,
        events: {
          trigger: 'queue',
          description: 'confirm',
          access: { queries: [ListProducts], idempotency: 'records' },
        },
      },
      policies: 'policies',
    });

    expect(queriesCalledBy(order).map((query) => query.name)).toEqual([
      'ListProducts',
      'GetPayment',
    ]);
  });
});

describe('functionEnvironment', () => {
  const manifest = defineService(inventory);
  const names = (handler: keyof typeof inventory.functions) =>
    functionEnvironment(manifest, handler).map((variable) => variable.name);

  it("gives every function the service's table and policy store", () => {
    expect(names('queries')).toEqual(['TABLE_NAME', 'POLICY_STORE_ID']);
  });

  it('gives the queue consumer its idempotency table, queue and DLQ', () => {
    expect(names('events')).toEqual([
      'TABLE_NAME',
      'POLICY_STORE_ID',
      'IDEMPOTENCY_TABLE_NAME',
      'QUEUE_URL',
      'DEAD_LETTER_QUEUE_URL',
    ]);
  });

  it('gives an API function that keeps idempotency records the idempotency table', () => {
    const manifest = defineService({
      ...inventory,
      functions: {
        ...inventory.functions,
        api: {
          ...inventory.functions.api,
          access: { ...inventory.functions.api.access, idempotency: 'records' },
        },
      },
    });

    expect(functionEnvironment(manifest, 'api').map((variable) => variable.name)).toEqual([
      'TABLE_NAME',
      'POLICY_STORE_ID',
      'IDEMPOTENCY_TABLE_NAME',
    ]);
  });

  it("gives the staff function the staff pool with the API and the console's clients, the Verified Access instance, and the queue and DLQ it redrives; the authorizer both user pools", () => {
    expect(names('staff')).toEqual([
      'TABLE_NAME',
      'POLICY_STORE_ID',
      'STAFF_USER_POOL_ID',
      'STAFF_USER_POOL_CLIENT_ID',
      'STAFF_CONSOLE_CLIENT_ID',
      'VERIFIED_ACCESS_INSTANCE_ARN',
      'QUEUE_URL',
      'DEAD_LETTER_QUEUE_URL',
    ]);
    expect(names('api')).toEqual(['TABLE_NAME', 'POLICY_STORE_ID']);
    expect(names('authorizer')).toEqual([
      'TABLE_NAME',
      'POLICY_STORE_ID',
      'USER_POOL_ID',
      'USER_POOL_CLIENT_ID',
      'STAFF_USER_POOL_ID',
      'STAFF_USER_POOL_CLIENT_ID',
    ]);
  });
});
