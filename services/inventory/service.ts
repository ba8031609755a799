import {
  DEAD_LETTER_REDRIVE_ROUTE,
  DEAD_LETTERS_ROUTE,
  defineService,
  GetProduct,
  GetStock,
  InventoryReleasedV1,
  InventoryReservationFailedV1,
  InventoryReservedV1,
  ListProducts,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderPlacedV1,
  reads,
  TOKEN_AUTHORIZER,
} from '@shop/contracts';

/**
 * The Inventory service: the catalogue, prices and stock; reserves stock for placed orders,
 * commits it on confirmation and releases it on cancellation, never overselling.
 */
export const inventoryService = defineService({
  name: 'inventory',
  description:
    'Keeps the catalogue, prices and stock; reserves stock for placed orders, commits it on confirmation, releases it on cancellation, and never oversells.',
  publishes: [InventoryReservedV1, InventoryReservationFailedV1, InventoryReleasedV1],
  // Reserves stock for placed orders, commits it on confirmation, releases it on cancellation.
  subscribes: [
    reads(OrderPlacedV1, ['orderId', 'lines']),
    reads(OrderConfirmedV1, ['orderId']),
    reads(OrderCancelledV1, ['orderId']),
  ],
  queries: {
    offers: [ListProducts, GetProduct, GetStock],
    callers: { order: [ListProducts] },
  },
  // A table access level grants a kind of access, not each call: what a level grants here that
  // the functions never call, and why.
  // unused-grant inventory-api dynamodb:GetItem: `read` reads one item or a batch of them; the
  // API reads products in batches, and never a reservation.
  // unused-grant inventory-staff dynamodb:GetItem: `read` reads one item or a batch of them; the
  // staff routes read products in batches, and never a reservation.
  // unused-grant inventory-staff dynamodb:PutItem: `write` puts and updates items; the staff
  // routes update a product in place (UpdateItem), so that putting it keeps its reserved count.
  // unused-grant inventory-staff dynamodb:Query: `read` reads pages of one kind of item too; the
  // staff routes read products by their keys.
  // unused-grant inventory-events dynamodb:Query: `read` reads pages of one kind of item too;
  // the consumer reads products and reservations by their keys.
  // unused-grant inventory-queries dynamodb:GetItem: `read` reads one item or a batch of them;
  // the queries read products in batches.
  // unused-grant inventory-queries dynamodb:Query: ListProducts pages the whole catalogue when
  // it is asked for no sku, which its one caller, Order, never does.
  functions: {
    api: {
      trigger: 'rest',
      description: 'Anyone signed in browses the catalogue.',
      access: { table: 'read', authorize: true },
      routes: {
        listProducts: { method: 'GET', path: '/products', action: 'ViewCatalogue' },
        getProduct: { method: 'GET', path: '/products/{sku}', action: 'ViewCatalogue' },
      },
    },
    authorizer: TOKEN_AUTHORIZER,
    staff: {
      trigger: 'staff',
      description:
        'Staff see and set stock and view dead letters; Admins put products and redrive dead letters.',
      access: { table: 'read-write', deadLetters: 'redrive', authorize: true },
      routes: {
        putProduct: { method: 'PUT', path: '/admin/products/{sku}', action: 'PutProduct' },
        viewStock: { method: 'GET', path: '/admin/products/{sku}/stock', action: 'ViewStock' },
        setStock: { method: 'PUT', path: '/admin/products/{sku}/stock', action: 'SetStock' },
        viewDeadLetters: DEAD_LETTERS_ROUTE,
        redriveDeadLetters: DEAD_LETTER_REDRIVE_ROUTE,
      },
    },
    events: {
      trigger: 'queue',
      description:
        'Reserves stock for placed orders, commits it on confirmation, releases it on cancellation.',
      access: { table: 'read-write', idempotency: 'records' },
    },
    queries: {
      trigger: 'lattice',
      description: 'Answers other services’ catalogue and stock queries.',
      access: { table: 'read', authorize: true },
    },
  },
  policies: 'policies',
});
