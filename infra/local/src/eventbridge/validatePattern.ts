import { isIPv4, isIPv6 } from 'node:net';
import { isJsonObject, type JsonObject } from './jsonObject.js';

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

const isScalar = (value: unknown): value is string | number | boolean | null =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

class PatternError extends Error {}

const invalid = (reason: string, path: string): PatternError =>
  new PatternError(`Event pattern is not valid. Reason: ${reason} at ${path || '(root)'}`);

const onlyKey = (matcher: JsonObject, path: string): [string, unknown] => {
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
  if (isJsonObject(value)) {
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
  if (terms.length === 4 && Number(terms[1]) >= Number(terms[3])) {
    throw invalid('the lower bound of a numeric range must be less than its upper bound', path);
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
  if (!isJsonObject(value))
    throw invalid('anything-but must be a value, a list or an object', path);
  const [operator, operand] = onlyKey(value, path);
  if (!['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(operator)) {
    throw invalid(`unsupported operator in anything-but: ${operator}`, path);
  }
  const list = Array.isArray(operand) ? operand : [operand];
  if (list.length === 0 || !list.every((item) => typeof item === 'string')) {
    throw invalid(`anything-but ${operator} must be a string or a list of strings`, path);
  }
  if ((operator === 'prefix' || operator === 'suffix') && list.includes('')) {
    throw invalid(`anything-but ${operator} must not be empty`, path);
  }
  if (operator === 'wildcard') for (const item of list) validateWildcard(item, path);
};

const validateMatcher = (matcher: unknown, path: string): void => {
  if (isScalar(matcher)) return;
  if (!isJsonObject(matcher)) throw invalid('a matcher must be a value or an object', path);
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

/** Names the engine keeps for operators: no field inside an `$or` may bear one. */
const RESERVED_IN_OR = new Set([
  ...['exact', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard'],
  ...['numeric', 'cidr', '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard'],
  ...['not-equals-ignore-case', 'date-after', 'date-on-or-after', 'date-before'],
  ...['date-on-or-before', 'in-date-range', 'ip-address-in-range', 'ip-address-not-in-range'],
]);

const validateObject = (pattern: JsonObject, path: string, insideOr = false): void => {
  if (Object.keys(pattern).length === 0) throw invalid('empty event pattern', path);
  for (const [key, value] of Object.entries(pattern)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isJsonObject)) {
        throw invalid('$or must be a list of at least two patterns', at);
      }
      for (const alternative of value as JsonObject[]) validateObject(alternative, at, true);
    } else if (insideOr && RESERVED_IN_OR.has(key)) {
      throw invalid(`${key} is a reserved name that cannot be used inside $or`, at);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw invalid('Empty arrays are not allowed', at);
      for (const matcher of value) validateMatcher(matcher, at);
    } else if (isJsonObject(value)) {
      validateObject(value, at, insideOr);
    } else {
      throw invalid('match value must be put inside a JSON array', at);
    }
  }
};

/**
 * Checks an event pattern object against the rules of the EventBridge pattern syntax and answers
 * the first rule it breaks, worded as EventBridge does (`Event pattern is not valid. Reason: ...
 * at <path>`), or undefined when the pattern is valid.
 *
 * @example
 * ```ts
 * validatePattern({ source: ['shop.order'] }); // undefined
 * validatePattern({ source: 'shop.order' }); // '... match value must be put inside a JSON array at source'
 * ```
 */
export const validatePattern = (pattern: JsonObject): string | undefined => {
  try {
    validateObject(pattern, '');
    return undefined;
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
};
