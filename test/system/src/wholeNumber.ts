/**
 * A command-line option's whole number (0 or more), or an error that names the option.
 *
 * @example
 * wholeNumber('orders', '200'); // 200
 * wholeNumber('orders', 'many'); // throws: --orders takes a whole number, not many
 */
export const wholeNumber = (name: string, text: string | undefined): number => {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`--${name} takes a whole number, not ${text}`);
  }
  return value;
};
