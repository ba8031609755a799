import { defineQueryCalls } from '../defineQuery.js';
import { GetProduct, GetStock, ListProducts } from './inventory.js';
import { GetPayment } from './payment.js';

/** Every query a service answers over VPC Lattice. */
export const queryCatalogue = [ListProducts, GetProduct, GetStock, GetPayment] as const;

/** Order prices and checks orders against Inventory, and shows payment status in order details. */
export const orderQueryCalls = defineQueryCalls('order', [ListProducts, GetPayment]);

/** Every service's declared query calls. */
export const queryCalls = [orderQueryCalls] as const;
