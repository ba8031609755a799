/** A JSON object: what an event pattern is made of, and what it matches in an event. */
export type JsonObject = { readonly [key: string]: unknown };

/**
 * Whether a value is a JSON object (not null, not an array).
 *
 * @example
 * ```ts
 * isJsonObject({ source: ['shop.order'] }); // true
 * isJsonObject(['shop.order']); // false
 * ```
 */
export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
