import { CustomerIdSchema, StockLineSchema } from '@shop/contracts';
import { invocationHandler } from '@shop/shared';
import { z } from 'zod';
import { placeOrderCommand } from './commands.js';

export const PlaceOrderRequestSchema = z.object({
  customerId: CustomerIdSchema,
  lines: z.array(StockLineSchema).min(1).max(25),
  paymentToken: z.string().min(1).max(256),
});

/**
 * Places an order; answers the PENDING order, why it cannot be placed, or `SERVICE_UNAVAILABLE`
 * (nothing written) when Inventory cannot be asked for prices and stock.
 */
export const handler = invocationHandler(PlaceOrderRequestSchema, placeOrderCommand);
