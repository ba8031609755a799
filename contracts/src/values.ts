import * as z from 'zod/mini';
import { transportableString } from './transportableString.js';

/**
 * An order id: a UUID chosen by the Order service.
 *
 * @example
 * ```ts
 * OrderIdSchema.parse('0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10');
 * ```
 */
export const OrderIdSchema = z
  .uuid()
  .register(z.globalRegistry, { description: 'Order id, a UUID chosen by the Order service.' });
export type OrderId = z.infer<typeof OrderIdSchema>;

/**
 * A customer id: the `sub` claim of the customer's identity token.
 *
 * @example
 * ```ts
 * CustomerIdSchema.parse('7d3f1c9a-2b4e-4c61-8f0a-5e9b2d6c4a13');
 * ```
 */
export const CustomerIdSchema = transportableString({ max: 128 }).register(z.globalRegistry, {
  description: 'Customer id, the `sub` claim of the identity token.',
});
export type CustomerId = z.infer<typeof CustomerIdSchema>;

/**
 * The card processor's opaque token for the customer's card; never a card number.
 *
 * @example
 * ```ts
 * PaymentTokenSchema.parse('tok_success');
 * ```
 */
export const PaymentTokenSchema = transportableString({ max: 256 }).register(z.globalRegistry, {
  description: 'Opaque token of the card processor; never a card number.',
});
export type PaymentToken = z.infer<typeof PaymentTokenSchema>;

/**
 * The name of a product, as the catalogue shows it.
 *
 * @example
 * ```ts
 * ProductNameSchema.parse('Mug');
 * ```
 */
export const ProductNameSchema = transportableString({ max: 200 });
export type ProductName = z.infer<typeof ProductNameSchema>;

/**
 * A stock-keeping unit: upper-case letters, digits and dashes.
 *
 * @example
 * ```ts
 * SkuSchema.parse('MUG-001');
 * ```
 */
export const SkuSchema = z
  .string()
  .check(z.regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/))
  .register(z.globalRegistry, { description: 'Stock-keeping unit.' });
export type Sku = z.infer<typeof SkuSchema>;

/**
 * How many units of one product an order line asks for.
 *
 * @example
 * ```ts
 * QuantitySchema.parse(3);
 * ```
 */
export const QuantitySchema = z
  .int()
  .check(z.minimum(1), z.maximum(1000))
  .register(z.globalRegistry, { description: 'Units of one product.' });
export type Quantity = z.infer<typeof QuantitySchema>;

/**
 * The most lines one order may have. Order lines travel in OrderPlaced, InventoryReserved and
 * InventoryReleased, so this bound keeps each of those events far below EventBridge's 256 KB
 * entry limit (see docs/adr/0012).
 *
 * @example
 * ```ts
 * z.array(StockLineSchema).check(z.minLength(1), z.maxLength(MAX_ORDER_LINES));
 * ```
 */
export const MAX_ORDER_LINES = 25;

/**
 * The ISO 4217 currencies the shop sells in.
 *
 * @example
 * ```ts
 * CurrencySchema.parse('EUR');
 * ```
 */
export const CurrencySchema = z
  .enum(['EUR', 'USD', 'GBP'])
  .register(z.globalRegistry, { description: 'ISO 4217 currency code.' });
export type Currency = z.infer<typeof CurrencySchema>;

/**
 * An amount of money in integer minor units (cents) and its currency. Never a float.
 *
 * @example
 * ```ts
 * MoneySchema.parse({ amountMinor: 1999, currency: 'EUR' }); // EUR 19.99
 * ```
 */
export const MoneySchema = z
  .object({
    amountMinor: z
      .int()
      .check(z.minimum(0))
      .register(z.globalRegistry, { description: 'Amount in minor units, e.g. cents.' }),
    currency: CurrencySchema,
  })
  .register(z.globalRegistry, { description: 'Money as integer minor units plus currency.' });
export type Money = z.infer<typeof MoneySchema>;

/**
 * The highest unit price a product may have, in minor units (100,000,000.00 in the major unit).
 * The largest order, {@link MAX_ORDER_LINES} lines of 1000 units each at this price, totals
 * 2.5e14 minor units: far below `Number.MAX_SAFE_INTEGER`, so no order total is ever rounded or
 * refused for its size.
 *
 * @example
 * ```ts
 * UnitPriceSchema.safeParse({ amountMinor: MAX_UNIT_PRICE_MINOR + 1, currency: 'EUR' }).success; // false
 * ```
 */
export const MAX_UNIT_PRICE_MINOR = 10_000_000_000;

/**
 * The price of one unit of a product: money of at most {@link MAX_UNIT_PRICE_MINOR}.
 *
 * @example
 * ```ts
 * UnitPriceSchema.parse({ amountMinor: 1299, currency: 'EUR' });
 * ```
 */
export const UnitPriceSchema = z
  .extend(MoneySchema, {
    amountMinor: z
      .int()
      .check(z.minimum(0), z.maximum(MAX_UNIT_PRICE_MINOR))
      .register(z.globalRegistry, {
        description: 'Amount in minor units, e.g. cents, at most MAX_UNIT_PRICE_MINOR.',
      }),
  })
  .register(z.globalRegistry, {
    description: 'The price of one unit: money of at most MAX_UNIT_PRICE_MINOR.',
  });

/**
 * One product and a quantity of it.
 *
 * @example
 * ```ts
 * StockLineSchema.parse({ sku: 'MUG-001', quantity: 2 });
 * ```
 */
export const StockLineSchema = z.object({ sku: SkuSchema, quantity: QuantitySchema });
export type StockLine = z.infer<typeof StockLineSchema>;

/**
 * The lines of an order as a customer places it: 1 to {@link MAX_ORDER_LINES}, a product on more
 * than one line if need be, but no more units of one product in all than a line may have
 * (`QuantitySchema`): Inventory reserves, and its events carry, one line per product.
 *
 * @example
 * ```ts
 * OrderLinesSchema.safeParse([{ sku: 'MUG-001', quantity: 1000 }, { sku: 'MUG-001', quantity: 1 }]).success; // false
 * ```
 */
export const OrderLinesSchema = z.array(StockLineSchema).check(
  z.minLength(1),
  z.maxLength(MAX_ORDER_LINES),
  z.superRefine((lines, context) => {
    const units = new Map<string, number>();
    for (const { sku, quantity } of lines) units.set(sku, (units.get(sku) ?? 0) + quantity);
    for (const [sku, quantity] of units) {
      if (!QuantitySchema.safeParse(quantity).success) {
        context.addIssue({
          code: 'custom',
          message: `${quantity} units of ${sku} in all: one product's units are at most 1000`,
        });
      }
    }
  }),
);

/**
 * A request for one page of a list: at most `limit` items (1 to 100, 50 by default), after the
 * page `nextToken` names. Query-string values are strings, so `limit` is coerced.
 *
 * @example
 * ```ts
 * PageRequestSchema.parse({ limit: '10' }); // { limit: 10 }
 * ```
 */
export const PageRequestSchema = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
  nextToken: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});
export type PageRequest = z.infer<typeof PageRequestSchema>;

/** The request header a client names a request with, so that its retries are recognised. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * A client's `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): 1 to 64 letters,
 * digits, `-` or `_`, e.g. a UUID. The draft makes the field a structured-field string, so the
 * value may come in double quotes; `"k-1"` and `k-1` are the same key.
 *
 * @example
 * ```ts
 * IdempotencyKeySchema.parse('"8e03978e-40d5-43e8-bc93-6894a57f9324"'); // '8e03978e-40d5-43e8-bc93-6894a57f9324'
 * IdempotencyKeySchema.safeParse('key with spaces').success; // false
 * ```
 */
export const IdempotencyKeySchema = z
  .pipe(
    z.pipe(
      z.string(),
      z.transform((value: string) => /^"(.*)"$/.exec(value)?.[1] ?? value),
    ),
    z
      .string()
      .check(
        z.regex(
          /^[A-Za-z0-9_-]{1,64}$/,
          'An Idempotency-Key is 1 to 64 letters, digits, - or _ (a UUID will do), in double quotes or not',
        ),
      ),
  )
  .register(z.globalRegistry, {
    description: "A client's name for one request, the same on each of its retries.",
  });
export type IdempotencyKey = z.infer<typeof IdempotencyKeySchema>;
