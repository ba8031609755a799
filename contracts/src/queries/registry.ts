import { GetProduct, GetStock, ListProducts } from './inventory.js';
import { GetPayment } from './payment.js';

/** Every query a service answers over VPC Lattice. */
export const queryCatalogue = [ListProducts, GetProduct, GetStock, GetPayment] as const;
