import { FREE_PORTS, SHOP_SERVICES, type Shop, startShop } from '@shop/local-system';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFuzzReport, isFailure } from '../src/fuzz/fuzzReport.js';
import { FUZZ_CATALOGUE, type FuzzReport, runFuzz } from '../src/fuzz/runFuzz.js';

/** The small run: `npm run fuzz -w @shop/system-tests` sends 5,000. */
const REQUESTS = 300;
const SEED = 20261129;
/** How long the orders and the stock may take to settle once the requests are answered. */
const SETTLE_TIMEOUT_MS = 120_000;
/** 300 requests on a busy 2-core machine, then the orders settling. */
const RUN_TIMEOUT_MS = 1_200_000;

let shop: Shop;
let report: FuzzReport;

beforeAll(async () => {
  shop = await startShop({ ports: FREE_PORTS, catalogue: FUZZ_CATALOGUE, logLevel: 'WARN' });
  report = await runFuzz({
    shop,
    seed: SEED,
    requests: REQUESTS,
    settleTimeoutMs: SETTLE_TIMEOUT_MS,
  });
}, RUN_TIMEOUT_MS);

afterAll(async () => {
  await shop?.stop();
});

describe(`the running shop, fuzzed with ${REQUESTS} requests (seed ${SEED})`, () => {
  it('answers every one, never with a 5xx', () => {
    const failures = report.answers.filter(isFailure);

    expect(report.answers).toHaveLength(REQUESTS);
    expect(failures.length === 0 ? [] : formatFuzzReport(report)).toEqual([]);
  });

  it('leaves no order it created PENDING, no stock reserved or miscounted, no dead letter', () => {
    expect(Object.keys(report.orders).sort()).toEqual(['CANCELLED', 'CONFIRMED']);
    expect(report.stranded).toEqual([]);
    expect(report.leaks).toEqual([]);
    expect(report.deadLetters).toEqual([]);
  });

  it('reaches every route of every REST API and every Lattice query', () => {
    const routes = SHOP_SERVICES.flatMap((manifest) =>
      Object.values(manifest.functions).flatMap((fn) =>
        Object.values(fn.routes ?? {}).map(
          (route) => `${manifest.name} ${route.method} ${route.path}`,
        ),
      ),
    );
    const reached = new Set(report.answers.map(({ request }) => request.kind.split(':')[0]));

    expect(routes.filter((route) => !reached.has(route))).toEqual([]);
    expect(
      ['ListProducts', 'GetProduct', 'GetStock', 'GetPayment'].filter(
        (query) => !reached.has(`query ${query}`),
      ),
    ).toEqual([]);
  });
});
