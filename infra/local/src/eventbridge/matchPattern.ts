import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { isJsonObject, type JsonObject } from './jsonObject.js';
import { validatePattern } from './validatePattern.js';

/** An EventBridge event pattern: a JSON object whose leaves are arrays of matchers. */
export type EventPattern = object;

export type ParsePatternResult =
  | { readonly ok: true; readonly pattern: EventPattern }
  | { readonly ok: false; readonly message: string };

/**
 * Validates an event pattern (given as an object or its JSON text) with the rules of the
 * EventBridge pattern syntax.
 *
 * @example
 * ```ts
 * parsePattern('{"source": ["shop.order"]}'); // { ok: true, pattern: { source: ['shop.order'] } }
 * parsePattern({ source: 'shop.order' }).ok; // false: leaf values must be arrays
 * ```
 */
export const parsePattern = (input: unknown): ParsePatternResult => {
  let pattern: unknown = input;
  if (typeof input === 'string') {
    try {
      pattern = JSON.parse(input);
    } catch {
      return { ok: false, message: 'Event pattern is not valid. Reason: not valid JSON' };
    }
  }
  if (!isJsonObject(pattern)) {
    return { ok: false, message: 'Event pattern is not valid. Reason: must be a JSON object' };
  }
  const problem = validatePattern(pattern);
  return problem === undefined ? { ok: true, pattern } : { ok: false, message: problem };
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const regExpCache = new Map<string, RegExp>();

const cachedRegExp = (key: string, build: () => string): RegExp => {
  let regExp = regExpCache.get(key);
  if (!regExp) {
    regExp = new RegExp(build(), 's');
    regExpCache.set(key, regExp);
  }
  return regExp;
};

const wildcardRegExp = (wildcard: string): RegExp =>
  cachedRegExp(`wildcard:${wildcard}`, () => {
    let source = '';
    for (let i = 0; i < wildcard.length; i++) {
      const char = wildcard[i] ?? '';
      if (char === '\\' && (wildcard[i + 1] === '*' || wildcard[i + 1] === '\\')) {
        source += `\\${wildcard[i + 1]}`;
        i++;
      } else if (char === '*') {
        source += '.*';
      } else {
        source += escapeRegExp(char);
      }
    }
    return `^${source}$`;
  });

/**
 * Case-insensitive text as the engine reads it: each character of the pattern stands for its
 * lower-case and its upper-case form, whatever their lengths (ΰ for Ϋ́, ῆ for Η͂).
 */
const ignoreCaseRegExp = (text: string, anchor: 'equals' | 'prefix' | 'suffix'): RegExp =>
  cachedRegExp(`${anchor}:${text}`, () => {
    const source = [...text]
      .map((char) => {
        const forms = [...new Set([char.toLowerCase(), char.toUpperCase()])].map(escapeRegExp);
        return forms.length === 1 ? forms[0] : `(?:${forms.join('|')})`;
      })
      .join('');
    return `${anchor === 'suffix' ? '' : '^'}${source}${anchor === 'prefix' ? '' : '$'}`;
  });

/** prefix or suffix, given a string or `{"equals-ignore-case": string}`. */
const matchesAffix = (operand: unknown, anchor: 'prefix' | 'suffix', value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  if (typeof operand === 'string') {
    return anchor === 'prefix' ? value.startsWith(operand) : value.endsWith(operand);
  }
  const text = String((operand as JsonObject)['equals-ignore-case']);
  return ignoreCaseRegExp(text, anchor).test(value);
};

const compare = (operator: unknown, value: number, operand: unknown): boolean => {
  const n = Number(operand);
  switch (operator) {
    case '=':
      return value === n;
    case '<':
      return value < n;
    case '<=':
      return value <= n;
    case '>':
      return value > n;
    default:
      return value >= n;
  }
};

const blockLists = new Map<string, { readonly list: BlockList; readonly type: 'ipv4' | 'ipv6' }>();

const inCidr = (value: unknown, cidr: string): boolean => {
  if (typeof value !== 'string') return false;
  let block = blockLists.get(cidr);
  if (!block) {
    const [address = '', bits = '0'] = cidr.split('/');
    const type = isIPv4(address) ? 'ipv4' : 'ipv6';
    const list = new BlockList();
    list.addSubnet(address, Number(bits), type);
    block = { list, type };
    blockLists.set(cidr, block);
  }
  const valueType = isIPv4(value) ? 'ipv4' : isIPv6(value) ? 'ipv6' : undefined;
  return valueType === block.type && block.list.check(value, block.type);
};

/**
 * anything-but excludes what it lists and accepts every other value: a number, a boolean or null
 * can have no excluded prefix, suffix, casing or wildcard shape, so it is never excluded.
 */
const anythingBut = (operand: unknown, value: unknown): boolean => {
  if (Array.isArray(operand)) return !operand.some((item) => item === value);
  if (!isJsonObject(operand)) return value !== operand;
  if (typeof value !== 'string') return true;
  const [operator, inner] = Object.entries(operand)[0] ?? [];
  const list = (Array.isArray(inner) ? inner : [inner]).map(String);
  switch (operator) {
    case 'prefix':
      return !list.some((text) => value.startsWith(text));
    case 'suffix':
      return !list.some((text) => value.endsWith(text));
    case 'equals-ignore-case':
      return !list.some((text) => ignoreCaseRegExp(text, 'equals').test(value));
    default:
      return !list.some((text) => wildcardRegExp(text).test(value));
  }
};

/** Does one scalar event value satisfy one matcher of a pattern leaf? */
const matchesValue = (matcher: unknown, value: unknown): boolean => {
  if (!isJsonObject(matcher)) return matcher === value;
  const [operator, operand] = Object.entries(matcher)[0] ?? [];
  switch (operator) {
    case 'prefix':
    case 'suffix':
      return matchesAffix(operand, operator, value);
    case 'equals-ignore-case':
      return typeof value === 'string' && ignoreCaseRegExp(String(operand), 'equals').test(value);
    case 'anything-but':
      return anythingBut(operand, value);
    case 'numeric': {
      if (typeof value !== 'number') return false;
      const terms = operand as unknown[];
      for (let i = 0; i < terms.length; i += 2) {
        if (!compare(terms[i], value, terms[i + 1])) return false;
      }
      return true;
    }
    case 'cidr':
      return inCidr(value, String(operand));
    case 'wildcard':
      return typeof value === 'string' && wildcardRegExp(String(operand)).test(value);
    default:
      return false;
  }
};

const flatten = (value: unknown): unknown[] =>
  Array.isArray(value) ? value.flatMap(flatten) : [value];

/** A field is present when it holds a leaf value: an object or an empty array holds none. */
const isPresent = (value: unknown): boolean =>
  value !== undefined && flatten(value).some((item) => !isJsonObject(item));

const matchesLeaf = (matchers: readonly unknown[], value: unknown): boolean =>
  matchers.some((matcher) => {
    if (isJsonObject(matcher) && 'exists' in matcher) {
      return matcher['exists'] === isPresent(value);
    }
    if (value === undefined) return false;
    return flatten(value).some((item) => !isJsonObject(item) && matchesValue(matcher, item));
  });

const matchesFields = (pattern: JsonObject, event: JsonObject | undefined): boolean =>
  Object.entries(pattern).every(([key, value]) => {
    if (key === '$or') {
      return (value as JsonObject[]).some((alternative) => matchesFields(alternative, event));
    }
    if (Array.isArray(value)) return matchesLeaf(value, event?.[key]);
    return matchesObject(value as JsonObject, event?.[key]);
  });

/** An object pattern matches a missing field (only through exists: false), or any object in it. */
const matchesObject = (pattern: JsonObject, event: unknown): boolean => {
  const candidates = flatten(event).filter(isJsonObject);
  if (candidates.length === 0) return matchesFields(pattern, undefined);
  return candidates.some((candidate) => matchesFields(pattern, candidate));
};

/**
 * Does an event match a (valid) EventBridge event pattern? Implements the documented syntax:
 * exact values (strings, numbers, booleans, null, empty string), arrays on either side, nested
 * fields, prefix, suffix and equals-ignore-case, anything-but (values, prefix, suffix,
 * equals-ignore-case, wildcard), numeric comparisons and ranges, exists, cidr, wildcard and `$or`;
 * where the user guide is silent, it does what the engine behind EventBridge (aws/event-ruler) does.
 *
 * @example
 * ```ts
 * matchesPattern({ source: ['shop.order'], detail: { total: [{ numeric: ['>', 100] }] } }, event);
 * ```
 */
export const matchesPattern = (pattern: EventPattern, event: unknown): boolean =>
  matchesObject(pattern as JsonObject, event);
