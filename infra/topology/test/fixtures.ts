import {
  defineService,
  GetPayment,
  GetProduct,
  GetStock,
  InventoryReservedV1,
  ListProducts,
  OrderPlacedV1,
  OrderPlacedV2,
  reads,
  type ServiceFunction,
} from '@shop/contracts';

const api: ServiceFunction = {
  trigger: 'rest',
  description: 'API',
  access: { authorize: true },
  routes: { list: { method: 'GET', path: '/things', action: 'ListThings' } },
};
const authorizer: ServiceFunction = { trigger: 'authorizer', description: 'tokens', access: {} };
const events: ServiceFunction = {
  trigger: 'queue',
  description: 'events',
  access: { table: 'read-write', idempotency: 'records' },
};
const queries: ServiceFunction = {
  trigger: 'lattice',
  description: 'queries',
  access: { table: 'read' },
};

/** A small shop to derive topologies from: Order calls Inventory's and Payment's queries. */
export const order = defineService({
  name: 'order',
  description: 'orders',
  publishes: [OrderPlacedV1, OrderPlacedV2],
  subscribes: [],
  functions: {
    api: { ...api, access: { table: 'read-write', queries: [ListProducts, GetPayment] } },
    authorizer,
  },
  policies: 'policies',
});

export const inventory = defineService({
  name: 'inventory',
  description: 'stock',
  publishes: [],
  subscribes: [reads(OrderPlacedV1, ['orderId', 'lines'])],
  queries: { offers: [ListProducts, GetProduct, GetStock], callers: { order: [ListProducts] } },
  functions: { api, authorizer, events, queries },
  policies: 'policies',
});

export const payment = defineService({
  name: 'payment',
  description: 'payments',
  publishes: [],
  subscribes: [reads(OrderPlacedV2, ['orderId', 'total']), reads(InventoryReservedV1, ['orderId'])],
  queries: { offers: [GetPayment], callers: { order: [GetPayment] } },
  functions: { api, authorizer, events, queries },
  policies: 'policies',
});

export const SHOP = [order, inventory, payment] as const;
