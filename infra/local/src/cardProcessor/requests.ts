import * as z from 'zod';

/** An amount in minor units (cents) of one of the sandbox's currencies. */
export const MoneySchema = z.object({
  amountMinor: z.int().min(0),
  currency: z.enum(['EUR', 'USD', 'GBP']),
});
export type Money = z.infer<typeof MoneySchema>;

/** The body of `POST /charges`. */
export const ChargeRequestSchema = z.object({
  token: z.string().min(1),
  amount: MoneySchema,
  reference: z.string().min(1),
});
export type ChargeRequest = z.infer<typeof ChargeRequestSchema>;

/** The body of `POST /refunds`. */
export const RefundRequestSchema = z.object({ chargeId: z.string().min(1), amount: MoneySchema });
export type RefundRequest = z.infer<typeof RefundRequestSchema>;
