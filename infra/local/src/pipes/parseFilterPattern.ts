import { isJsonObject, type JsonObject } from '../eventbridge/jsonObject.js';
import { type ParsePatternResult, parsePattern } from '../eventbridge/matchPattern.js';

/** The operator a Pipes filter may not use, or undefined when the matcher is supported. */
const unsupportedIn = (matcher: unknown): string | undefined => {
  if (!isJsonObject(matcher)) return undefined;
  if ('wildcard' in matcher) return 'wildcard';
  const anythingBut = matcher['anything-but'];
  if (!isJsonObject(anythingBut)) return undefined;
  return `anything-but ${Object.keys(anythingBut)[0]}`;
};

interface Unsupported {
  readonly operator: string;
  readonly at: string;
}

const findUnsupported = (pattern: JsonObject, path: string): Unsupported | undefined => {
  for (const [key, value] of Object.entries(pattern)) {
    const at = path === '' ? key : `${path}.${key}`;
    const items = key === '$or' && Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (isJsonObject(item)) {
        const found = findUnsupported(item, at);
        if (found) return found;
      } else if (Array.isArray(item)) {
        const operator = item.map(unsupportedIn).find((name) => name !== undefined);
        if (operator !== undefined) return { operator, at };
      }
    }
  }
  return undefined;
};

/**
 * Validates the pattern of a Pipe's filter criteria as EventBridge Pipes does: the event-pattern
 * syntax less what the user guide marks as unsupported in Pipes, namely wildcard and anything-but
 * with prefix, suffix, equals-ignore-case or wildcard.
 *
 * @example
 * ```ts
 * parseFilterPattern({ eventName: ['INSERT'] }).ok; // true
 * parseFilterPattern({ eventName: [{ 'anything-but': { prefix: 'RE' } }] }).ok; // false
 * ```
 */
export const parseFilterPattern = (input: unknown): ParsePatternResult => {
  const parsed = parsePattern(input);
  if (!parsed.ok) return parsed;
  const unsupported = findUnsupported(parsed.pattern as JsonObject, '');
  if (unsupported === undefined) return parsed;
  const { operator, at } = unsupported;
  return {
    ok: false,
    message: `Event pattern is not valid. Reason: ${operator} is not supported in Pipes at ${at}`,
  };
};
