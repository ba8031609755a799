import type { RawRequest } from './rawHttp.js';

/** Names a JavaScript object has already, or that look like a path into one. */
const NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'constructor.prototype',
  '__proto__[polluted]',
];
/** Header names must be HTTP tokens: the names above that are. */
const HEADER_NAMES = NAMES.filter((name) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name));
const QUERY_NAMES = [...NAMES, '', 'a', '%5F%5Fproto%5F%5F', '%', '%zz', '%00', '+', 'a%26b'];
const VALUES = ['', '1', '%', '%zz', '%00', '%ff', '%C0%AF', '%C3%A9', '%F0%9F%98%80', 'a+b'];
const HEADER_VALUES = ['', '1', '__proto__', '{"__proto__":{"polluted":1}}', 'é', '\t', 'a, b'];
const SEGMENTS = [
  ...NAMES,
  '',
  '.',
  '..',
  '%2e%2e',
  '%2F',
  '%5C',
  '%',
  '%zz',
  '%00',
  '%ff',
  '%F0%9F%98%80',
  '[',
  ']',
  '*',
  ';',
  '@',
  ':',
  '!!!',
  '\\',
  'orders',
  'products',
];
const PATHS = ['/', '//x', '//[', '*', 'http://example.com/orders', '/orders/..%2f..%2f'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE'];
const STRINGS = ['\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '\u2028', '😀', 'é', 'ﬀ', '\\'];

/** A seeded pseudo-random generator (mulberry32): the same seed, the same requests. */
const random = (seed: number) => {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const some = <T>(most: number, make: () => T): T[] => Array.from({ length: int(most + 1) }, make);
  return { int, pick, some };
};

/** Odd JSON: names taken from objects, strings of lone surrogates, controls and bidi marks. */
const jsonBody = (r: ReturnType<typeof random>): string => {
  const text = () => r.some(4, () => r.pick(STRINGS)).join('');
  const entries = r.some(4, () => `${JSON.stringify(r.pick(NAMES))}:${JSON.stringify(text())}`);
  return r.int(4) === 0 ? `{${entries.join(',')}` : `{${entries.join(',')}}`;
};

/**
 * `count` hostile requests from `seed`: paths of odd segments and percent-encodings (`//x`, `//[`,
 * `*`, an absolute URL), any method, query-string and header names such as `__proto__`,
 * `constructor` and `prototype`, and JSON bodies with odd Unicode or bytes that are not UTF-8.
 *
 * @example
 * ```ts
 * for (const request of hostileRequests(7, 300)) await rawRequest(url, request);
 * ```
 */
export const hostileRequests = (seed: number, count: number): RawRequest[] => {
  const r = random(seed);
  return Array.from({ length: count }, (): RawRequest => {
    const path =
      r.int(5) === 0
        ? r.pick(PATHS)
        : `${r.pick(['/', '//', '/./'])}${r.some(4, () => r.pick(SEGMENTS)).join('/')}`;
    const query = r.some(3, () => `${r.pick(QUERY_NAMES)}=${r.pick(VALUES)}`).join('&');
    const method = r.pick(METHODS);
    const headers = r.some(3, () => [r.pick(HEADER_NAMES), r.pick(HEADER_VALUES)] as const);
    const body = [
      undefined,
      jsonBody(r),
      Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0x7b]),
      `"${r.pick(STRINGS)}"`,
    ][r.int(4)];
    return {
      method,
      path: query === '' || path.includes('?') ? path : `${path}?${query}`,
      headers,
      ...(body !== undefined && method !== 'HEAD' && { body }),
    };
  });
};
