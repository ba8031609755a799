import * as z from 'zod/mini';

/** The characters an SQS message may hold, the narrowest of the hops an event takes. */
export const TRANSPORTABLE_CHARACTERS =
  'U+0009, U+000A, U+000D, U+0020 to U+D7FF, U+E000 to U+FFFD and U+10000 to U+10FFFF';

const codePoint = (unit: number): string => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

const isTransportableUnit = (unit: number): boolean =>
  unit === 0x9 ||
  unit === 0xa ||
  unit === 0xd ||
  (unit >= 0x20 && unit <= 0xd7ff) ||
  (unit >= 0xe000 && unit <= 0xfffd);

/**
 * Why `value` cannot travel, naming its first offending character and its index in characters
 * (code points, as lengths are counted), never the value; undefined if it can.
 */
const untransportable = (value: string): string | undefined => {
  let index = 0;
  for (let unitIndex = 0; unitIndex < value.length; unitIndex++, index++) {
    const unit = value.charCodeAt(unitIndex);
    if (isHighSurrogate(unit) && isLowSurrogate(value.charCodeAt(unitIndex + 1))) {
      unitIndex++; // a pair: a code point from U+10000 to U+10FFFF, all of which travel
      continue;
    }
    const at = `${codePoint(unit)} at index ${index}`;
    if (isHighSurrogate(unit) || isLowSurrogate(unit)) {
      return `Lone surrogate ${at} cannot be encoded as UTF-8`;
    }
    if (!isTransportableUnit(unit)) {
      return `Character ${at} cannot travel in an event; SQS accepts only ${TRANSPORTABLE_CHARACTERS}`;
    }
  }
  return undefined;
};

export interface TransportableStringOptions {
  /** The fewest characters (Unicode code points, as zod and JSON Schema count). @default 1 */
  readonly min?: number;
  /** The most characters; at 4 bytes of UTF-8 at most each, the string is at most 4 × max bytes. */
  readonly max: number;
}

/**
 * A string that can travel in an event through every hop: EventBridge, SQS (which accepts only
 * {@link TRANSPORTABLE_CHARACTERS}) and DynamoDB (UTF-8, so no lone surrogate), within a length
 * bound. Every string an event carries, and every input that becomes one, uses it, so that a
 * value the transport would refuse is refused where it enters, with a zod issue naming the first
 * offending character and its index in characters (never the value itself).
 *
 * The character check is a refinement: it does not show in the generated JSON Schema, which says
 * the same as before, since no event with such a character could ever be delivered.
 *
 * @example
 * ```ts
 * const PaymentTokenSchema = transportableString({ max: 256 });
 * PaymentTokenSchema.parse('tok_success'); // 'tok_success'
 * PaymentTokenSchema.safeParse('tok_success\uffff').success; // false
 * ```
 */
export const transportableString = ({ min = 1, max }: TransportableStringOptions) =>
  z.string().check(
    z.minLength(min),
    z.maxLength(max),
    z.refine((value: string) => untransportable(value) === undefined, {
      error: (issue) =>
        typeof issue.input === 'string' ? untransportable(issue.input) : 'Invalid string',
    }),
  );
