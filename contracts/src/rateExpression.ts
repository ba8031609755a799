/** The units of an EventBridge Scheduler rate expression, in seconds. */
const UNIT_SECONDS = {
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86_400,
  days: 86_400,
} as const;

/**
 * An EventBridge Scheduler rate expression: `rate(<value> <unit>)`, the unit singular for a
 * value of 1 (`rate(1 minute)`, `rate(5 minutes)`, `rate(1 hour)`, `rate(2 days)`).
 */
export type RateExpression = `rate(${number} ${keyof typeof UNIT_SECONDS})`;

const RATE = /^rate\(([1-9][0-9]*) (minute|minutes|hour|hours|day|days)\)$/;

/**
 * The period of a rate expression in seconds, or undefined when it is not one EventBridge
 * Scheduler accepts (a unit in the plural for 1, or in the singular for more, is refused).
 *
 * @example
 * ```ts
 * rateSeconds('rate(1 minute)'); // 60
 * rateSeconds('rate(5 minutes)'); // 300
 * rateSeconds('rate(1 minutes)'); // undefined
 * ```
 */
export const rateSeconds = (expression: string): number | undefined => {
  const match = RATE.exec(expression);
  if (match === null) return undefined;
  const value = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_SECONDS;
  if ((value === 1) !== !unit.endsWith('s')) return undefined;
  return value * UNIT_SECONDS[unit];
};
