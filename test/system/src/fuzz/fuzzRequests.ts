import { type Random, randomFor } from './random.js';

/** A route of a service's REST API, as its manifest declares it. */
export interface FuzzRoute {
  readonly service: string;
  readonly method: string;
  /** The path template, e.g. `/orders/{orderId}/cancel`. */
  readonly path: string;
}

/** A query a service answers over Lattice, as its contract declares it. */
export interface FuzzQuery {
  readonly provider: string;
  readonly name: string;
  /** The path template, e.g. `/products/{sku}`. */
  readonly path: string;
}

/** What the requests are made of: the shop's routes, its callers and the things they name. */
export interface FuzzWorld {
  readonly routes: readonly FuzzRoute[];
  readonly queries: readonly FuzzQuery[];
  /** Users of the local pool, who call the REST APIs with their ID tokens. */
  readonly users: readonly string[];
  /** Functions whose roles sign Lattice queries: the queries' declared caller first. */
  readonly latticeCallers: readonly string[];
  /** Products orders are placed for; nothing but orders changes their stock. */
  readonly orderedSkus: readonly string[];
  /** Products staff put and restock, which orders may name too. */
  readonly staffSkus: readonly string[];
  /** Orders placed before the fuzzing starts, for the routes that name an order. */
  readonly orderIds: readonly string[];
}

/**
 * Who a request is sent as: a user's ID token, a function's role signing a Lattice query, no
 * credentials at all, or credentials that are not what they claim.
 */
export type Caller =
  | { readonly kind: 'user'; readonly name: string }
  | { readonly kind: 'role'; readonly name: string }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'forged'; readonly name: string };

/** One generated request, before its caller's credentials are added. */
export interface FuzzRequest {
  readonly index: number;
  /**
   * A service's REST API, its staff routes (through Verified Access, from a compliant device, to
   * the staff load balancer: the path carries the service's prefix) or its Lattice service.
   */
  readonly target: { readonly kind: 'rest' | 'staff' | 'lattice'; readonly service: string };
  readonly as: Caller;
  readonly method: string;
  /** The request target as sent: path and query, untouched. */
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string | Uint8Array;
  /** What was generated, to read in a report. */
  readonly kind: string;
}

/** Strings every layer must carry or refuse cleanly. */
const STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u0007bell',
  '\ud800',
  '\udfff',
  'a\ud83dz',
  '\uffff',
  '\ufffe',
  '😀',
  '\u{10FFFF}',
  '\u202eevil',
  '\ufeff',
  '\u2028',
  'é',
  'ﬀ',
  '\\',
  '"',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  `\${jndi:ldap://x}`,
  '%s%n%x',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'tok_success',
  'MUG-001',
];

/** Long strings: over every length limit, in 1-, 2-, 3- and 4-byte characters. */
const LONG_STRINGS = [
  'x'.repeat(257),
  'x'.repeat(10_000),
  'é'.repeat(3_000),
  '€'.repeat(2_000),
  '🙂'.repeat(5_000),
];

/** JSON number texts JavaScript reads oddly or not at all. */
const NUMBER_TEXTS = [
  '0',
  '-0',
  '-1',
  '1.5',
  '0.1',
  '1e3',
  '1e308',
  '1e309',
  '-1e309',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '123456789012345678901234567890',
  '2147483648',
  '4294967296',
  '1e-400',
];

/** Other JSON values where a string or a number belongs. */
const VALUE_TEXTS = [
  'null',
  'true',
  'false',
  '[]',
  '{}',
  '[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '"1"',
  '"NaN"',
  '"Infinity"',
  '["MUG-001"]',
];

/** Texts that are not JSON, or JSON that is not what any route takes. */
const MALFORMED = [
  '{',
  '{"lines":',
  '{"lines":[{"sku":"MUG-001","quantity":1}],}',
  "{'lines':[]}",
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  'undefined',
  '\ufeff{}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '[1,2',
  '"',
  'null',
  '[]',
  '0',
  '',
  ' ',
  '{"a":1}{"b":2}',
  '\u0000',
  '{"__proto__":{"admin":true}}',
  '{"lines":"MUG-001","paymentToken":1}',
];

/** Names a JavaScript object has already. */
const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
];

const HEADER_VALUES = ['', '1', '__proto__', '{"__proto__":{"polluted":1}}', 'a, b', '\t', 'é'];
const CONTENT_TYPES = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/xml',
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND'];
const QUERY_NAMES = [...HOSTILE_NAMES, '', 'a', '%5F%5Fproto%5F%5F', '%', '%zz', '%00', 'limit'];
const QUERY_VALUES = ['', '1', '-1', '0', '101', '1e3', '%', '%zz', '%00', '%ff', '%F0%9F%98%80'];
/** Request targets no route has. */
const ODD_PATHS = [
  '/',
  '//x',
  '//[',
  '*',
  'http://example.com/orders',
  '/orders/..%2f..%2f',
  '/%',
  '/orders/%zz',
  '/ORDERS',
  '/orders/',
  '/orders//',
  '/admin',
  '/admin/orders/x/y',
  '/products/%F0%9F%98%80/stock/x',
  '/./orders',
  '/orders#fragment',
  `/orders/${'a'.repeat(5000)}`,
  '/%2e%2e/%2e%2e/etc/passwd',
];
/** Path segments where an id or a SKU belongs, percent-encoded as a client sends them. */
const ODD_SEGMENTS = [
  'not-a-uuid',
  '%20',
  '..',
  '%2e%2e',
  '%2F',
  '%00',
  '%25',
  '%F0%9F%98%80',
  '%ED%A0%80',
  '%ff',
  '__proto__',
  'constructor',
  'x'.repeat(2000),
  '00000000-0000-0000-0000-000000000000',
  'mug-001',
  'A'.repeat(33),
  '-',
];
const PAYMENT_TOKENS: readonly (readonly [number, string])[] = [
  [60, 'tok_success'],
  [15, 'tok_declined'],
  [10, 'tok_insufficient_funds'],
  [5, 'tok_timeout'],
  [10, 'tok_🙂 unknown to the processor'],
];

/** A JSON value written as given: a number JavaScript cannot hold, or any other text. */
class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value in which `RawJson` stands as written. */
const jsonText = (value: unknown): string => {
  const raws: string[] = [];
  const text: string | undefined = JSON.stringify(value, (_key, item: unknown) => {
    if (!(item instanceof RawJson)) return item;
    raws.push(item.text);
    return `__raw_${raws.length - 1}__`;
  });
  if (text === undefined) return '';
  return text.replace(/"__raw_(\d+)__"/g, (_match, n: string) => raws[Number(n)] ?? 'null');
};

const uuid = (r: Random) =>
  'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) =>
    (c === 'x' ? r.int(16) : 8 + r.int(4)).toString(16),
  );

/** Something where a string or a number belongs: odd strings, odd numbers, other JSON. */
const hostileValue = (r: Random): unknown =>
  r.weighted<() => unknown>([
    [4, () => r.pick(STRINGS)],
    [1, () => r.pick(LONG_STRINGS)],
    [4, () => new RawJson(r.pick(NUMBER_TEXTS))],
    [3, () => new RawJson(r.pick(VALUE_TEXTS))],
  ])();

type Json = Record<string, unknown>;

/** A body a route takes as it is. */
const validBody = (route: FuzzRoute, world: FuzzWorld, r: Random): Json | undefined => {
  const sku = () => (r.chance(0.85) ? r.pick(world.orderedSkus) : r.pick(world.staffSkus));
  if (route.method === 'POST' && route.path === '/orders') {
    return {
      lines: Array.from({ length: 1 + r.int(3) }, () => ({
        sku: sku(),
        quantity: r.chance(0.05) ? 1000 : 1 + r.int(3),
      })),
      paymentToken: r.weighted(PAYMENT_TOKENS),
    };
  }
  if (route.path === '/admin/products/{sku}') {
    return {
      name: r.pick(['Mug', 'T-shirt 🙂', 'Café crème', 'x'.repeat(200)]),
      unitPrice: {
        // The largest amounts a schema takes, too: a price times 1000 units times 25 lines.
        amountMinor: r.pick([0, 1, 1299, 999_999, 10 ** 9, 2 ** 31, Number.MAX_SAFE_INTEGER]),
        currency: r.pick(['EUR', 'USD', 'GBP']),
      },
      available: r.pick([0, r.int(1000), 1_000_000]),
    };
  }
  if (route.path === '/admin/products/{sku}/stock') {
    return { available: r.pick([0, r.int(1000), 1_000_000]) };
  }
  if (route.path === '/admin/dead-letters/redrive')
    return r.chance(0.5) ? {} : { max: 1 + r.int(10) };
  return undefined;
};

/** The paths of a body's members, e.g. `lines.0.quantity`, and the body itself (''). */
const pathsOf = (value: unknown, prefix = ''): string[] => {
  if (typeof value !== 'object' || value === null) return [prefix];
  const inner = Object.entries(value).flatMap(([key, item]) =>
    pathsOf(item, prefix === '' ? key : `${prefix}.${key}`),
  );
  return [prefix, ...inner];
};

/** A copy of `body` with the member at `path` replaced (`set`) or removed (`undefined`). */
const withMember = (body: Json, path: string, set: unknown): unknown => {
  if (path === '') return set;
  const copy: unknown = structuredClone(body);
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let at = copy as Record<string, unknown>;
  for (const key of keys) at = at[key] as Record<string, unknown>;
  if (set === undefined) delete at[last];
  else at[last] = set;
  return copy;
};

/** A valid body with one member made wrong: replaced, removed, or joined by an extra one. */
const mutatedBody = (body: Json, r: Random): { text: string; kind: string } => {
  const path = r.pick(pathsOf(body));
  const how = r.weighted<'replace' | 'remove' | 'extra' | 'many'>([
    [6, 'replace'],
    [1, 'remove'],
    [2, 'extra'],
    [1, 'many'],
  ]);
  if (how === 'remove')
    return { text: jsonText(withMember(body, path, undefined)), kind: `-${path}` };
  if (how === 'extra') {
    const name = r.pick([...HOSTILE_NAMES, 'note', 'isAdmin', 'customerId', 'status', 'total']);
    const extra = hostileValue(r);
    // `__proto__` as a key of an object literal would set the prototype: written into the text.
    const text = jsonText(body).replace(/^\{/, `{${JSON.stringify(name)}:${jsonText(extra)},`);
    return { text, kind: `+${name}` };
  }
  if (how === 'many' && Array.isArray(body['lines'])) {
    const line = body['lines'][0];
    const count = r.pick([26, 100, 3000]);
    return {
      text: jsonText({ ...body, lines: Array.from({ length: count }, () => line) }),
      kind: `lines x${count}`,
    };
  }
  const value = hostileValue(r);
  const shown = value instanceof RawJson ? value.text : JSON.stringify(value);
  return {
    text: jsonText(withMember(body, path, value)),
    kind: `${path || '<body>'} <- ${String(shown).slice(0, 40)}`,
  };
};

/** A body over the APIs' 64 KB limit: just over it, or far over. */
const oversizeBody = (body: Json | undefined, r: Random): string => {
  const size = r.pick([64 * 1024 + 1, 200 * 1024, 2 * 1024 * 1024]);
  const padded = { ...(body ?? {}), pad: '' };
  return jsonText({ ...padded, pad: 'x'.repeat(Math.max(0, size - jsonText(padded).length)) });
};

/**
 * A route's path with its parameters filled: things the shop has, or things it cannot have. Staff
 * routes name only the products staff may change, so that what orders sell of the others adds up.
 */
const fillPath = (template: string, world: FuzzWorld, r: Random): string =>
  template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    if (r.chance(0.25)) return r.pick(ODD_SEGMENTS);
    if (name === 'orderId') {
      return r.chance(0.8) && world.orderIds.length > 0 ? r.pick(world.orderIds) : uuid(r);
    }
    if (name === 'sku') {
      return r.weighted([
        [template.startsWith('/admin/') ? 0 : 5, () => r.pick(world.orderedSkus)],
        [4, () => r.pick(world.staffSkus)],
        [1, () => `FUZZ-${r.int(1000)}`],
      ])();
    }
    return r.pick(ODD_SEGMENTS);
  });

const hostileQuery = (r: Random): string =>
  Array.from({ length: 1 + r.int(3) }, () => `${r.pick(QUERY_NAMES)}=${r.pick(QUERY_VALUES)}`).join(
    '&',
  );

/** A list route's query: a page size, a page token, or names that are not parameters. */
const queryOf = (route: FuzzRoute | undefined, r: Random): string => {
  const parts: string[] = [];
  if (route?.method === 'GET' && !route.path.includes('{') && r.chance(0.6)) {
    if (r.chance(0.6))
      parts.push(
        `limit=${r.pick(['1', '10', '100', '0', '101', '-5', '1.5', 'x', '9'.repeat(30)])}`,
      );
    if (r.chance(0.3))
      parts.push(`nextToken=${r.pick(['!!!', 'eyJ9', '%00', 'x'.repeat(1025), 'e30', ''])}`);
  }
  if (r.chance(0.2)) parts.push(hostileQuery(r));
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
};

/** Headers besides the credentials: odd names and values, a content type, an Idempotency-Key. */
const headersOf = (route: FuzzRoute | undefined, hasBody: boolean, r: Random) => {
  const headers: [string, string][] = [];
  if (hasBody || r.chance(0.1)) {
    headers.push(['content-type', r.chance(0.85) ? 'application/json' : r.pick(CONTENT_TYPES)]);
  }
  if (route?.path === '/orders' && route.method === 'POST' && r.chance(0.3)) {
    headers.push([
      'idempotency-key',
      r.pick([
        `fuzz-${r.int(20)}`,
        `"${uuid(r)}"`,
        uuid(r),
        'key with spaces',
        'x'.repeat(65),
        '',
        '""',
        '__proto__',
      ]),
    ]);
  }
  if (r.chance(0.2)) {
    for (let i = 0; i < 1 + r.int(3); i++)
      headers.push([r.pick(HOSTILE_NAMES), r.pick(HEADER_VALUES)]);
  }
  return headers;
};

const userOf = (world: FuzzWorld, r: Random): Caller =>
  r.weighted<Caller>([
    [90, { kind: 'user', name: r.pick(world.users) }],
    [5, { kind: 'anonymous' }],
    [5, { kind: 'forged', name: r.pick(world.users) }],
  ]);

/** A request to a REST API: most to a declared route, some anywhere with any method. */
const restRequest = (index: number, world: FuzzWorld, r: Random): FuzzRequest => {
  const placeOrder = world.routes.find(
    (route) => route.method === 'POST' && route.path === '/orders',
  );
  const route = r.weighted<FuzzRoute | undefined>([
    [30, placeOrder],
    [62, r.pick(world.routes)],
    [8, undefined],
  ]);
  const service = route?.service ?? r.pick([...new Set(world.routes.map((one) => one.service))]);
  const method = route === undefined || r.chance(0.06) ? r.pick(METHODS) : route.method;
  // Staff routes, and every request to a service without customer routes, go the staff way.
  const staff =
    route === undefined
      ? !world.routes.some((one) => one.service === service && !one.path.startsWith('/admin/'))
      : route.path.startsWith('/admin/');
  const unprefixed =
    route === undefined
      ? r.pick(ODD_PATHS)
      : `${fillPath(route.path, world, r)}${queryOf(route, r)}`;
  const path = staff && unprefixed.startsWith('/') ? `/${service}${unprefixed}` : unprefixed;
  const valid = route === undefined ? undefined : validBody(route, world, r);
  const shape = r.weighted<'valid' | 'mutated' | 'malformed' | 'bytes' | 'oversize' | 'none'>([
    [valid === undefined ? 0 : 40, 'valid'],
    [valid === undefined ? 0 : 35, 'mutated'],
    [8, 'malformed'],
    [2, 'bytes'],
    [2, 'oversize'],
    [valid === undefined ? 30 : 3, 'none'],
  ]);
  let body: string | Uint8Array | undefined;
  let kind: string = shape;
  if (shape === 'valid' && valid !== undefined) body = jsonText(valid);
  if (shape === 'mutated' && valid !== undefined) {
    const mutated = mutatedBody(valid, r);
    body = mutated.text;
    kind = `mutated ${mutated.kind}`;
  }
  if (shape === 'malformed') body = r.pick(MALFORMED);
  if (shape === 'bytes')
    body = Uint8Array.from([0xff, 0xfe, 0x7b, 0xc0, 0xaf, 0x22, 0xed, 0xa0, 0x80]);
  if (shape === 'oversize') body = oversizeBody(valid, r);
  const sent = method === 'GET' || method === 'HEAD' ? (r.chance(0.9) ? undefined : body) : body;
  return {
    index,
    target: { kind: staff ? 'staff' : 'rest', service },
    as: userOf(world, r),
    method,
    path,
    headers: headersOf(route, sent !== undefined, r),
    ...(sent !== undefined && { body: sent }),
    kind: `${service} ${route === undefined ? 'no route' : `${route.method} ${route.path}`}: ${kind}`,
  };
};

/** A Lattice query: mostly by its declared caller, some by others, unsigned or forged. */
const latticeRequest = (index: number, world: FuzzWorld, r: Random): FuzzRequest => {
  const query = r.pick(world.queries);
  const [declared = '', ...others] = world.latticeCallers;
  const as = r.weighted<Caller>([
    [75, { kind: 'role', name: declared }],
    [12, { kind: 'role', name: others.length > 0 ? r.pick(others) : declared }],
    [8, { kind: 'anonymous' }],
    [5, { kind: 'forged', name: declared }],
  ]);
  let path = fillPath(query.path, world, r);
  if (query.name === 'ListProducts' && r.chance(0.8)) {
    const skus = Array.from({ length: r.pick([1, 2, 5, 100, 101, 300]) }, () =>
      r.chance(0.9) ? r.pick([...world.orderedSkus, ...world.staffSkus]) : r.pick(ODD_SEGMENTS),
    );
    path += `?${skus.map((sku) => `sku=${sku}`).join('&')}`;
  }
  if (r.chance(0.2)) path += `${path.includes('?') ? '&' : '?'}${hostileQuery(r)}`;
  if (r.chance(0.05)) path = r.pick(ODD_PATHS);
  const method = r.chance(0.9) ? 'GET' : r.pick(METHODS);
  const body = r.chance(0.05) ? r.pick(MALFORMED) : undefined;
  return {
    index,
    target: { kind: 'lattice', service: query.provider },
    as,
    method,
    path,
    headers: r.chance(0.15) ? [[r.pick(HOSTILE_NAMES), r.pick(HEADER_VALUES)]] : [],
    ...(body !== undefined && { body }),
    kind: `query ${query.name}`,
  };
};

/**
 * The request `index` of the run seeded `seed`: nine in ten to a REST API (three in ten of those
 * place an order), one in ten a Lattice query. Bodies are valid, valid with one member made
 * wrong (odd types, numbers JavaScript cannot hold, lone surrogates, `\uffff`, emoji, NUL, long
 * strings, extra members named `__proto__`...), malformed JSON, bytes that are not UTF-8, or over
 * the size limit; paths, methods, query and header names are odd in some. The same seed and
 * index make the same request (order ids aside: they name the orders of the run).
 *
 * @example
 * ```ts
 * const request = fuzzRequest(world, 7, 1234);
 * ```
 */
export const fuzzRequest = (world: FuzzWorld, seed: number, index: number): FuzzRequest => {
  const r = randomFor(seed, index);
  return r.chance(0.1) ? latticeRequest(index, world, r) : restRequest(index, world, r);
};
