import { validationError } from '../http/awsErrors.js';

/** The input of one EventBridge operation, as its JSON body arrived. */
export type Input = Readonly<Record<string, unknown>>;

/**
 * A string member of the input, or undefined when it is missing or not a string.
 *
 * @example
 * ```ts
 * optionalString({ EventBusName: 'shop' }, 'EventBusName'); // 'shop'
 * ```
 */
export const optionalString = (input: Input, key: string): string | undefined =>
  typeof input[key] === 'string' ? (input[key] as string) : undefined;

/**
 * A string member the operation requires: `ValidationException` when missing or empty.
 *
 * @example
 * ```ts
 * requiredString({}, 'Name'); // throws ValidationException: Name is required
 * ```
 */
export const requiredString = (input: Input, key: string): string => {
  const value = optionalString(input, key);
  if (value === undefined || value === '') throw validationError(`${key} is required`);
  return value;
};
