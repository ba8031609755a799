import { z } from 'zod';

export const MoneySchema = z.object({
  amountMinor: z.int().min(0),
  currency: z.enum(['EUR', 'USD', 'GBP']),
});
export type Money = z.infer<typeof MoneySchema>;

export const ChargeRequestSchema = z.object({
  token: z.string().min(1),
  amount: MoneySchema,
  reference: z.string().min(1),
});
export type ChargeRequest = z.infer<typeof ChargeRequestSchema>;

export const RefundRequestSchema = z.object({ chargeId: z.string().min(1), amount: MoneySchema });
export type RefundRequest = z.infer<typeof RefundRequestSchema>;
