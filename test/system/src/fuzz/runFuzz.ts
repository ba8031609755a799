import { request } from 'node:http';
import { queryCatalogue } from '@shop/contracts';
import { DEVICE_POSTURE } from '@shop/local-cloud/verified-access';
import {
  LOCAL_USERS,
  latticePrincipalOf,
  type SeedProduct,
  SHOP_SERVICES,
  type Shop,
  type ShopApiClient,
  signIn,
} from '@shop/local-system';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { type DeadLetters, deadLettersOf } from '../integrity/deadLetters.js';
import { inParallel } from '../integrity/inParallel.js';
import { type FuzzRequest, type FuzzWorld, fuzzRequest } from './fuzzRequests.js';

/** Products orders are placed for: so many that the fuzz never runs out, and no staff restocks them. */
const ORDERED = ['FUZZ-MUG', 'FUZZ-TEE'];
/** Products staff put and restock while orders are placed for them too. */
const STAFF = ['FUZZ-CAP', 'FUZZ-BAG'];
const EUR = (amountMinor: number) => ({ amountMinor, currency: 'EUR' as const });

/** The catalogue a fuzzed shop starts with. */
export const FUZZ_CATALOGUE: readonly SeedProduct[] = [
  { sku: 'FUZZ-MUG', name: 'Fuzz mug', unitPrice: EUR(1299), available: 1_000_000 },
  { sku: 'FUZZ-TEE', name: 'Fuzz T-shirt 🙂', unitPrice: EUR(2499), available: 1_000_000 },
  { sku: 'FUZZ-CAP', name: 'Fuzz cap', unitPrice: EUR(999), available: 500 },
  { sku: 'FUZZ-BAG', name: 'Fuzz bag', unitPrice: EUR(4999), available: 500 },
];

export interface FuzzProps {
  /** A shop started with {@link FUZZ_CATALOGUE}. */
  readonly shop: Shop;
  readonly seed: number;
  /** How many requests to send (indexes 0 to requests - 1). */
  readonly requests: number;
  /** Only these indexes, to make a request of an earlier run again. @default every index */
  readonly only?: readonly number[];
  /** Requests in flight at once. @default 4 */
  readonly concurrency?: number;
  /** How long one request may take before it counts as unanswered. @default 60_000 */
  readonly requestTimeoutMs?: number;
  /** How long the orders and the stock may take to settle after the requests. */
  readonly settleTimeoutMs: number;
  /** One line now and then. @default discarded */
  readonly progress?: (line: string) => void;
}

/** What one request was answered (status 0: no answer at all). */
export interface FuzzAnswer {
  readonly request: FuzzRequest;
  readonly status: number;
  readonly body: string;
}

/** An order the run created that never left PENDING. */
export interface StrandedOrder {
  readonly orderId: string;
  readonly status: string;
  /** The order as Admins see it, shortened. */
  readonly view: string;
}

/** A product whose counters are not what the orders made of them. */
export interface StockLeak {
  readonly sku: string;
  readonly expected: { readonly available?: number; readonly reserved: number };
  readonly actual: { readonly available: number; readonly reserved: number };
}

export interface FuzzReport {
  readonly seed: number;
  readonly answers: readonly FuzzAnswer[];
  /** Orders created (setup and fuzz), by their final status. */
  readonly orders: Readonly<Record<string, number>>;
  readonly stranded: readonly StrandedOrder[];
  readonly leaks: readonly StockLeak[];
  /** Dead letters of the consumers and the outbox relays: events that failed for good. */
  readonly deadLetters: readonly DeadLetters[];
  readonly seconds: number;
}

/** The shop's routes, queries and callers, from the services' manifests and query contracts. */
const worldOf = (orderIds: readonly string[]): FuzzWorld => {
  const routes = SHOP_SERVICES.flatMap((manifest) =>
    Object.values(manifest.functions).flatMap((fn) =>
      Object.values(fn.routes ?? {}).map((route) => ({
        service: manifest.name,
        method: route.method,
        path: route.path,
      })),
    ),
  );
  const functions = SHOP_SERVICES.flatMap((manifest) =>
    Object.entries(manifest.functions)
      .filter(([, fn]) => fn.trigger !== 'authorizer')
      .map(([name, fn]) => ({ name: `${manifest.name}-${name}`, calls: fn.access?.queries ?? [] })),
  );
  const callers = functions.filter((fn) => fn.calls.length > 0).map((fn) => fn.name);
  return {
    routes,
    queries: queryCatalogue.map(({ provider, name, path }) => ({ provider, name, path })),
    users: Object.values(LOCAL_USERS),
    latticeCallers: [
      ...callers,
      ...functions.filter((fn) => !callers.includes(fn.name)).map((fn) => fn.name),
    ],
    orderedSkus: ORDERED,
    staffSkus: STAFF,
    orderIds,
  };
};

const signer = (accessKeyId: string, secretAccessKey: string) =>
  new SignatureV4({
    service: 'vpc-lattice-svcs',
    region: 'eu-west-1',
    credentials: { accessKeyId, secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });

/** The headers that carry a request's credentials: a user's token, or a role's SigV4 signature. */
const credentialsOf = async (
  fuzz: FuzzRequest,
  base: URL,
  shop: Shop,
  tokens: ReadonlyMap<string, string>,
): Promise<[string, string][]> => {
  const { as } = fuzz;
  if (as.kind === 'anonymous') return [];
  if (fuzz.target.kind === 'rest' || fuzz.target.kind === 'staff') {
    const token = tokens.get(as.name) ?? '';
    // A forged token: the user's header and claims, another signature.
    const sent =
      as.kind === 'forged' ? `${token.split('.').slice(0, 2).join('.')}.Zm9yZ2Vk` : token;
    return [
      ['authorization', `Bearer ${sent}`],
      // Staff call from a compliant device, as the shop's own tools do.
      ...(fuzz.target.kind === 'staff'
        ? [[DEVICE_POSTURE.header, shop.staffEntry.devicePosture()] as [string, string]]
        : []),
    ];
  }
  const principal = latticePrincipalOf(shop.credentialsOf(as.name));
  const secret = as.kind === 'forged' ? `${principal.secretAccessKey}x` : principal.secretAccessKey;
  // Signed over the path and query as a server parses the target (as the gateway does), so that
  // odd paths and repeated parameters get past the signature to what judges them next.
  const absolute = fuzz.path.startsWith('/') ? `http://localhost${fuzz.path}` : fuzz.path;
  const target = URL.canParse(absolute) ? new URL(absolute) : undefined;
  const grouped = new Map<string, string[]>();
  for (const [name, value] of target?.searchParams ?? []) {
    grouped.set(name, [...(grouped.get(name) ?? []), value]);
  }
  // `__proto__` is a parameter name like any other: entries, never assignments.
  const query = Object.fromEntries(
    [...grouped].map(([name, values]) => [name, values.length === 1 ? (values[0] ?? '') : values]),
  );
  const signed = await signer(principal.accessKeyId, secret).sign({
    method: fuzz.method,
    protocol: 'http:',
    hostname: base.hostname,
    port: Number(base.port),
    path: target?.pathname ?? fuzz.path,
    query,
    headers: { host: base.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
  return Object.entries(signed.headers).filter(([name]) => name !== 'host');
};

/** Sends one request as it is (`fetch` would read `//x` as a host and refuse some methods). */
const send = (
  base: URL,
  fuzz: FuzzRequest,
  credentials: readonly [string, string][],
  timeoutMs: number,
): Promise<{ status: number; body: string }> =>
  new Promise((resolve) => {
    const headers = [['host', base.host], ...credentials, ...fuzz.headers].flat();
    if (fuzz.body !== undefined)
      headers.push('content-length', String(Buffer.byteLength(fuzz.body)));
    let outgoing: ReturnType<typeof request>;
    try {
      outgoing = request(
        {
          host: base.hostname,
          port: base.port,
          method: fuzz.method,
          path: fuzz.path,
          headers,
          agent: false,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', (error) => resolve({ status: 0, body: String(error) }));
        },
      );
    } catch (error) {
      // Node refuses to send it (a path or header it cannot write): no server ever sees it.
      resolve({ status: -1, body: String(error) });
      return;
    }
    outgoing.setTimeout(timeoutMs, () =>
      outgoing.destroy(new Error(`no answer in ${timeoutMs} ms`)),
    );
    outgoing.on('error', (error) => resolve({ status: 0, body: String(error) }));
    outgoing.end(fuzz.body);
  });

/** A request as a report keeps it: a large body only by its start and its size. */
const kept = (fuzz: FuzzRequest): FuzzRequest => {
  const { body } = fuzz;
  if (body === undefined || body.length <= 4096) return fuzz;
  const start =
    typeof body === 'string'
      ? body.slice(0, 1024)
      : Buffer.from(body.subarray(0, 1024)).toString('hex');
  return {
    ...fuzz,
    body: `${start}… (${body.length} ${typeof body === 'string' ? 'characters' : 'bytes'} in all)`,
  };
};

/** Where a request goes: a service's REST API, Verified Access before the staff routes, or its Lattice service. */
const baseOf = (shop: Shop, fuzz: FuzzRequest): URL => {
  const { kind, service } = fuzz.target;
  const url =
    kind === 'rest'
      ? shop.apiUrls[service as keyof Shop['apiUrls']]
      : kind === 'staff'
        ? shop.verifiedAccess.url
        : shop.lattice.services.find((one) => one.name === `shop-${service}`)?.url;
  if (url === undefined) throw new Error(`No ${kind} endpoint for ${service}`);
  return new URL(url);
};

interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
}
interface OrderView {
  readonly orderId: string;
  readonly status: string;
  readonly lines: readonly OrderLine[];
  readonly [field: string]: unknown;
}

/** Places a few orders first, so that the routes naming an order have orders to name. */
const setupOrders = async (customers: readonly ShopApiClient[]): Promise<string[]> => {
  const ids: string[] = [];
  for (const [index, customer] of customers.entries()) {
    for (const paymentToken of ['tok_success', 'tok_declined', 'tok_success']) {
      const placed = await customer.request<{ orderId: string }>('order', 'POST', '/orders', {
        lines: [{ sku: ORDERED[index % ORDERED.length], quantity: 1 }],
        paymentToken,
      });
      if (placed.status !== 201)
        throw new Error(`Setup order: ${placed.status} ${JSON.stringify(placed.body)}`);
      ids.push(placed.body.orderId);
    }
  }
  return ids;
};

/** The order id of a created order, from `POST /orders`'s 201 answer. */
const createdOrder = (answer: FuzzAnswer): string | undefined => {
  const { request: fuzz, status, body } = answer;
  if (fuzz.target.kind !== 'rest' || fuzz.method !== 'POST' || status !== 201) return undefined;
  if (!/^\/orders(\?|$)/.test(fuzz.path)) return undefined;
  try {
    const orderId = (JSON.parse(body) as { orderId?: unknown }).orderId;
    return typeof orderId === 'string' ? orderId : undefined;
  } catch {
    return undefined;
  }
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads every order until none is PENDING or the deadline passes; answers the last reads. */
const settledOrders = async (
  staff: ShopApiClient,
  orderIds: readonly string[],
  deadline: number,
): Promise<OrderView[]> => {
  const views = new Map<string, OrderView>();
  for (;;) {
    for (const orderId of orderIds) {
      if (views.get(orderId)?.status === 'CONFIRMED' || views.get(orderId)?.status === 'CANCELLED')
        continue;
      const read = await staff.request<OrderView>('order', 'GET', `/orders/${orderId}`);
      views.set(
        orderId,
        read.status === 200 ? read.body : { orderId, status: `HTTP ${read.status}`, lines: [] },
      );
    }
    const pending = [...views.values()].filter(
      (view) => view.status !== 'CONFIRMED' && view.status !== 'CANCELLED',
    );
    if (pending.length === 0 || Date.now() > deadline) return [...views.values()];
    await pause(500);
  }
};

/**
 * Reads the products' counters until they are what the settled orders make of them, or the
 * deadline passes: nothing reserved once every order is settled, and for the products only
 * orders change, what they started with less what the confirmed orders took.
 */
const stockLeaks = async (
  staff: ShopApiClient,
  orders: readonly OrderView[],
  deadline: number,
): Promise<StockLeak[]> => {
  const sold = new Map<string, number>();
  for (const order of orders.filter((one) => one.status === 'CONFIRMED')) {
    for (const line of order.lines) sold.set(line.sku, (sold.get(line.sku) ?? 0) + line.quantity);
  }
  const expected = (sku: string) => {
    const start = FUZZ_CATALOGUE.find((product) => product.sku === sku)?.available ?? 0;
    return ORDERED.includes(sku)
      ? { available: start - (sold.get(sku) ?? 0), reserved: 0 }
      : { reserved: 0 };
  };
  for (;;) {
    const leaks: StockLeak[] = [];
    for (const sku of [...ORDERED, ...STAFF]) {
      const read = await staff.request<{ available: number; reserved: number }>(
        'inventory',
        'GET',
        `/admin/products/${sku}/stock`,
      );
      const want = expected(sku);
      const actual =
        read.status === 200
          ? { available: read.body.available, reserved: read.body.reserved }
          : { available: Number.NaN, reserved: Number.NaN };
      if (
        actual.reserved !== want.reserved ||
        (want.available !== undefined && actual.available !== want.available)
      ) {
        leaks.push({ sku, expected: want, actual });
      }
    }
    if (leaks.length === 0 || Date.now() > deadline) return leaks;
    await pause(500);
  }
};

/**
 * Fuzzes a running shop through its front doors, as its users and roles: signs every local user
 * in, places a few orders for the routes that name one, sends the generated requests
 * ({@link fuzzRequest}) to the REST APIs and the Lattice services, then checks what they left
 * behind: every order created reaches CONFIRMED or CANCELLED, nothing stays reserved, and the
 * products only orders change have sold exactly what the confirmed orders took.
 *
 * @example
 * ```ts
 * const shop = await startShop({ ports: FREE_PORTS, catalogue: FUZZ_CATALOGUE });
 * const report = await runFuzz({ shop, seed: 7, requests: 300, settleTimeoutMs: 120_000 });
 * ```
 */
export const runFuzz = async (props: FuzzProps): Promise<FuzzReport> => {
  const began = performance.now();
  const progress = props.progress ?? (() => undefined);
  const { shop } = props;
  const userPool = { region: 'eu-west-1', endpoint: shop.cognito.endpoint };
  const tokens = new Map<string, string>();
  for (const user of Object.values(LOCAL_USERS))
    tokens.set(user, await signIn(userPool, user, shop.totpSecrets));
  const staff = await shop.as(LOCAL_USERS.admin);
  const setup = await setupOrders([
    await shop.as(LOCAL_USERS.customer),
    await shop.as(LOCAL_USERS.otherCustomer),
  ]);
  const world = worldOf(setup);

  const indexes = props.only ?? Array.from({ length: props.requests }, (_, index) => index);
  let done = 0;
  const answers = await inParallel(indexes, props.concurrency ?? 4, async (index) => {
    const fuzz = fuzzRequest(world, props.seed, index);
    const base = baseOf(shop, fuzz);
    const answer = await send(
      base,
      fuzz,
      await credentialsOf(fuzz, base, shop, tokens),
      props.requestTimeoutMs ?? 60_000,
    );
    done++;
    if (done % 500 === 0) progress(`${done} of ${indexes.length} requests answered`);
    return { request: kept(fuzz), ...answer };
  });

  progress('waiting for every order to settle');
  const created = [
    ...new Set([...setup, ...answers.flatMap((answer) => createdOrder(answer) ?? [])]),
  ];
  const deadline = Date.now() + props.settleTimeoutMs;
  const orders = await settledOrders(staff, created, deadline);
  const stranded = orders
    .filter((order) => order.status !== 'CONFIRMED' && order.status !== 'CANCELLED')
    .map((order) => ({
      orderId: order.orderId,
      status: order.status,
      view: JSON.stringify(order).slice(0, 600),
    }));
  const leaks = await stockLeaks(staff, orders, deadline);
  const deadLetters = await deadLettersOf(shop);
  const byStatus: Record<string, number> = {};
  for (const order of orders) byStatus[order.status] = (byStatus[order.status] ?? 0) + 1;
  return {
    seed: props.seed,
    answers,
    orders: byStatus,
    stranded,
    leaks,
    deadLetters,
    seconds: (performance.now() - began) / 1000,
  };
};
