import { FREE_PORTS, type Shop, startShop } from '@shop/local-system';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosCatalogue } from '../src/chaos/chaosPlan.js';
import { chaosInvariants, formatChaosReport } from '../src/chaos/chaosReport.js';
import { type ChaosReport, runChaos } from '../src/chaos/runChaos.js';

/** The small run: `npm run chaos` places 1,000 orders with more of every fault. */
const ORDERS = 100;
const SEED = 20261129;
/**
 * This shop's settings: a killed batch's messages come back after 30 s instead of 3 minutes, an
 * order still PENDING after 3 minutes expires, and the expiry runs every 5 s. The run waits for
 * the orders to settle until the last one's deadline has passed and the expiry has run.
 */
const VISIBILITY_TIMEOUT_SECONDS = 30;
const ORDER_EXPIRY_SECONDS = 180;
const SCHEDULE_EVERY_SECONDS = 5;
/** The placements under faults on a busy 2-core machine, then the orders settling. */
const RUN_TIMEOUT_MS = 1_500_000;

let shop: Shop;
let report: ChaosReport;

beforeAll(async () => {
  shop = await startShop({
    ports: FREE_PORTS,
    catalogue: chaosCatalogue(ORDERS),
    logLevel: 'WARN',
    settings: { visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS },
    configuration: { ORDER_EXPIRY_SECONDS: String(ORDER_EXPIRY_SECONDS) },
    scheduleEverySeconds: SCHEDULE_EVERY_SECONDS,
  });
  report = await runChaos({
    shop,
    seed: SEED,
    orders: ORDERS,
    kills: 1,
    stalls: 1,
    stallMs: 2000,
    duplicateBatches: 1,
    duplicatesPerBatch: 20,
    bursts: 1,
    burstSize: 30,
    expiryEverySeconds: SCHEDULE_EVERY_SECONDS,
  });
}, RUN_TIMEOUT_MS);

afterAll(async () => {
  await shop?.stop();
});

describe(`the shop under a seeded fault run of ${ORDERS} orders (seed ${SEED})`, () => {
  it('causes the faults it plans: a kill -9 and its restart, a DynamoDB stall, events published again', () => {
    const kills = report.faults.filter((fault) => fault.kind === 'kill');
    const killed = kills[0]?.kind === 'kill' ? kills[0].service : undefined;

    expect(kills).toHaveLength(1);
    expect(report.restarts[String(killed)]).toBeGreaterThanOrEqual(1);
    expect(report.faults.filter((fault) => fault.kind === 'stall')).toHaveLength(1);
    expect(report.faults.find((fault) => fault.kind === 'duplicates')?.sent).toBeGreaterThan(0);
    expect(report.plan.bursts).toEqual([expect.objectContaining({})]);
  });

  it('places every order it plans, each answered or given up after its retries, and the shop settles them all', () => {
    const acknowledged = report.placements.filter((p) => p.orderId !== undefined);

    expect(report.placements).toHaveLength(ORDERS);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(new Set(report.orders.map((order) => order.status))).toEqual(
      new Set(['CONFIRMED', 'CANCELLED']),
    );
  });

  it('keeps every invariant of the saga', () => {
    const broken = chaosInvariants(report).filter((one) => one.violations.length > 0);

    expect(broken.length === 0 ? [] : formatChaosReport(report)).toEqual([]);
  });
});
