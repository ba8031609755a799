import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** An EventBridge event pattern: a JSON object whose leaves are arrays of matchers. */
export type EventPattern = object;

export type ParsePatternResult =
  | { readonly ok: true; readonly pattern: EventPattern }
  | { readonly ok: false; readonly message: string };

type Json = { readonly [key: string]: unknown };

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

class PatternError extends Error {}

const invalid = (reason: string, path: string): PatternError =>
  new PatternError(`Event pattern is not valid. Reason: ${reason} at ${path || '(root)'}`);

const onlyKey = (matcher: Json, path: string): [string, unknown] => {
  const entries = Object.entries(matcher);
  const [entry] = entries;
  if (entries.length !== 1 || entry === undefined) {
    throw invalid('a matcher object must have exactly one operator', path);
  }
  return entry;
};

const validateWildcard = (value: unknown, path: string): void => {
  if (typeof value !== 'string') throw invalid('wildcard must be a string', path);
  let previousWasWildcard = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '\\') {
      const next = value[i + 1];
      if (next !== '*' && next !== '\\') {
        throw invalid('a backslash may only escape * or \\ in a wildcard', path);
      }
      i++;
      previousWasWildcard = false;
    } else if (char === '*') {
      if (previousWasWildcard)
        throw invalid('consecutive wildcard characters are not allowed', path);
      previousWasWildcard = true;
    } else {
      previousWasWildcard = false;
    }
  }
};

const validateStringOrIgnoreCase = (operator: string, value: unknown, path: string): void => {
  if (typeof value === 'string') return;
  if (isObject(value)) {
    const [inner, text] = onlyKey(value, path);
    if (inner === 'equals-ignore-case' && typeof text === 'string') return;
  }
  throw invalid(`${operator} must be a string or {"equals-ignore-case": string}`, path);
};

const validateNumeric = (value: unknown, path: string): void => {
  if (!Array.isArray(value) || (value.length !== 2 && value.length !== 4)) {
    throw invalid(
      'numeric must be [operator, number] or [lower operator, number, upper operator, number]',
      path,
    );
  }
  const terms = value as unknown[];
  for (let i = 0; i < terms.length; i += 2) {
    const operator = terms[i];
    if (typeof operator !== 'string' || !NUMERIC_OPERATORS.has(operator)) {
      throw invalid(`unknown numeric operator ${JSON.stringify(operator)}`, path);
    }
    if (typeof terms[i + 1] !== 'number') throw invalid('numeric operands must be numbers', path);
  }
  if (
    terms.length === 4 &&
    (!['>', '>='].includes(String(terms[0])) || !['<', '<='].includes(String(terms[2])))
  ) {
    throw invalid(
      'a numeric range is a lower bound (> or >=) followed by an upper bound (< or <=)',
      path,
    );
  }
};

const validateCidr = (value: unknown, path: string): void => {
  if (typeof value !== 'string') throw invalid('cidr must be a string', path);
  const [address, bits, extra] = value.split('/');
  const prefix = Number(bits);
  const max = isIPv4(address ?? '') ? 32 : isIPv6(address ?? '') ? 128 : 0;
  if (extra !== undefined || max === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw invalid(`invalid cidr ${JSON.stringify(value)}`, path);
  }
};

const validateAnythingBut = (value: unknown, path: string): void => {
  if (isScalar(value) && value !== null && typeof value !== 'boolean') return;
  if (Array.isArray(value)) {
    const allStrings = value.every((item) => typeof item === 'string');
    const allNumbers = value.every((item) => typeof item === 'number');
    if (value.length > 0 && (allStrings || allNumbers)) return;
    throw invalid('anything-but lists hold only strings or only numbers', path);
  }
  if (!isObject(value)) throw invalid('anything-but must be a value, a list or an object', path);
  const [operator, operand] = onlyKey(value, path);
  switch (operator) {
    case 'prefix':
    case 'suffix':
      if (typeof operand !== 'string')
        throw invalid(`anything-but ${operator} must be a string`, path);
      return;
    case 'equals-ignore-case':
    case 'wildcard': {
      const list = Array.isArray(operand) ? operand : [operand];
      if (list.length === 0 || !list.every((item) => typeof item === 'string')) {
        throw invalid(`anything-but ${operator} must be a string or a list of strings`, path);
      }
      if (operator === 'wildcard') for (const item of list) validateWildcard(item, path);
      return;
    }
    default:
      throw invalid(`unsupported operator in anything-but: ${operator}`, path);
  }
};

const validateMatcher = (matcher: unknown, path: string): void => {
  if (isScalar(matcher)) return;
  if (!isObject(matcher)) throw invalid('a matcher must be a value or an object', path);
  const [operator, operand] = onlyKey(matcher, path);
  switch (operator) {
    case 'prefix':
    case 'suffix':
      validateStringOrIgnoreCase(operator, operand, path);
      return;
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw invalid('equals-ignore-case must be a string', path);
      return;
    case 'anything-but':
      validateAnythingBut(operand, path);
      return;
    case 'numeric':
      validateNumeric(operand, path);
      return;
    case 'exists':
      if (typeof operand !== 'boolean') throw invalid('exists must be true or false', path);
      return;
    case 'cidr':
      validateCidr(operand, path);
      return;
    case 'wildcard':
      validateWildcard(operand, path);
      return;
    default:
      throw invalid(`unrecognized match type ${operator}`, path);
  }
};

const validateObject = (pattern: Json, path: string): void => {
  if (Object.keys(pattern).length === 0) throw invalid('empty event pattern', path);
  for (const [key, value] of Object.entries(pattern)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) {
        throw invalid('$or must be a list of at least two patterns', at);
      }
      for (const alternative of value as Json[]) validateObject(alternative, at);
    } else if (Array.isArray(value)) {
      for (const matcher of value) validateMatcher(matcher, at);
    } else if (isObject(value)) {
      validateObject(value, at);
    } else {
      throw invalid('match value must be put inside a JSON array', at);
    }
  }
};

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
  if (!isObject(pattern)) {
    return { ok: false, message: 'Event pattern is not valid. Reason: must be a JSON object' };
  }
  try {
    validateObject(pattern, '');
    return { ok: true, pattern };
  } catch (error) {
    if (error instanceof PatternError) return { ok: false, message: error.message };
    throw error;
  }
};

const wildcardCache = new Map<string, RegExp>();

const wildcardRegExp = (wildcard: string, flags = ''): RegExp => {
  const key = `${flags}:${wildcard}`;
  const cached = wildcardCache.get(key);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < wildcard.length; i++) {
    const char = wildcard[i] ?? '';
    if (char === '\\' && (wildcard[i + 1] === '*' || wildcard[i + 1] === '\\')) {
      source += `\\${wildcard[i + 1]}`;
      i++;
    } else if (char === '*') {
      source += '.*';
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const regExp = new RegExp(`^${source}$`, `s${flags}`);
  wildcardCache.set(key, regExp);
  return regExp;
};

const textMatcher = (
  operand: unknown,
  test: (value: string, text: string) => boolean,
): ((value: unknown) => boolean) => {
  if (typeof operand === 'string') {
    return (value) => typeof value === 'string' && test(value, operand);
  }
  const text = String((operand as Json)['equals-ignore-case']);
  return (value) => typeof value === 'string' && test(value.toLowerCase(), text.toLowerCase());
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

const anythingBut = (operand: unknown, value: unknown): boolean => {
  if (Array.isArray(operand)) return !operand.some((item) => item === value);
  if (!isObject(operand)) return value !== operand;
  const [operator, inner] = Object.entries(operand)[0] ?? [];
  if (typeof value !== 'string') return false;
  const list = (Array.isArray(inner) ? inner : [inner]).map(String);
  switch (operator) {
    case 'prefix':
      return !value.startsWith(String(inner));
    case 'suffix':
      return !value.endsWith(String(inner));
    case 'equals-ignore-case':
      return !list.some((text) => text.toLowerCase() === value.toLowerCase());
    default:
      return !list.some((text) => wildcardRegExp(text).test(value));
  }
};

/** Does one scalar event value satisfy one matcher of a pattern leaf? */
const matchesValue = (matcher: unknown, value: unknown): boolean => {
  if (!isObject(matcher)) return matcher === value;
  const [operator, operand] = Object.entries(matcher)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return textMatcher(operand, (v, text) => v.startsWith(text))(value);
    case 'suffix':
      return textMatcher(operand, (v, text) => v.endsWith(text))(value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(operand).toLowerCase();
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

const matchesLeaf = (matchers: readonly unknown[], value: unknown): boolean =>
  matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) {
      const present = value !== undefined && !isObject(value);
      return matcher['exists'] === present;
    }
    if (value === undefined) return false;
    return flatten(value).some((item) => !isObject(item) && matchesValue(matcher, item));
  });

const matchesFields = (pattern: Json, event: Json | undefined): boolean =>
  Object.entries(pattern).every(([key, value]) => {
    if (key === '$or') {
      return (value as Json[]).some((alternative) => matchesFields(alternative, event));
    }
    if (Array.isArray(value)) return matchesLeaf(value, event?.[key]);
    return matchesObject(value as Json, event?.[key]);
  });

/** An object pattern matches a missing field (only through exists: false), or any object in it. */
const matchesObject = (pattern: Json, event: unknown): boolean => {
  const candidates = flatten(event).filter(isObject);
  if (candidates.length === 0) return matchesFields(pattern, undefined);
  return candidates.some((candidate) => matchesFields(pattern, candidate));
};

/**
 * Does an event match a (valid) EventBridge event pattern? Implements the documented syntax:
 * exact values (strings, numbers, booleans, null, empty string), arrays on either side, nested
 * fields, prefix, suffix and equals-ignore-case, anything-but (values, prefix, suffix,
 * equals-ignore-case, wildcard), numeric comparisons and ranges, exists, cidr, wildcard and `$or`.
 *
 * @example
 * ```ts
 * matchesPattern({ source: ['shop.order'], detail: { total: [{ numeric: ['>', 100] }] } }, event);
 * ```
 */
export const matchesPattern = (pattern: EventPattern, event: unknown): boolean =>
  matchesObject(pattern as Json, event);
