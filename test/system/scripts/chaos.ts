/**
 * A seeded fault run of the local shop: places orders as its customers while it kills the
 * services' processes, stalls DynamoDB Local, publishes events again and sends bursts of
 * placements, then checks the saga's invariants. Prints them and the run's figures as a table,
 * and exits 1 on any violation.
 *
 *   npm run chaos                                    1,000 orders, seed 1
 *   npm run chaos -- --orders 200 --seed 7 --verbose
 */
import { parseArgs } from 'node:util';
import { FREE_PORTS, startShop } from '@shop/local-system';
import { chaosCatalogue } from '../src/chaos/chaosPlan.js';
import { chaosFailed, formatChaosReport } from '../src/chaos/chaosReport.js';
import { runChaos } from '../src/chaos/runChaos.js';
import { wholeNumber } from '../src/wholeNumber.js';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    'burst-size': { type: 'string', default: '300' },
    'stall-ms': { type: 'string', default: '5000' },
    verbose: { type: 'boolean', default: false },
  },
});
const orders = wholeNumber('orders', values.orders);
const began = performance.now();
const log = (line: string) => console.log(`[chaos] ${line}`);
const shop = await startShop({
  ports: FREE_PORTS,
  catalogue: chaosCatalogue(orders),
  logLevel: 'WARN',
  progress: values.verbose ? log : () => undefined,
  onLambdaEvent: (event) => {
    if (values.verbose && event.kind !== 'discarded')
      log(`[lambda] ${JSON.stringify(event).slice(0, 300)}`);
  },
});
let failed = true;
try {
  log(`shop ready in ${Math.round(performance.now() - began)} ms`);
  const report = await runChaos({
    shop,
    seed: wholeNumber('seed', values.seed),
    orders,
    kills: Math.max(3, Math.round(orders / 200)),
    stalls: Math.max(1, Math.round(orders / 500)),
    stallMs: wholeNumber('stall-ms', values['stall-ms']),
    duplicateBatches: Math.max(1, Math.round(orders / 250)),
    duplicatesPerBatch: 25,
    bursts: Math.max(1, Math.floor(orders / 500)),
    burstSize: wholeNumber('burst-size', values['burst-size']),
    concurrency: Math.max(1, wholeNumber('concurrency', values.concurrency)),
    progress: log,
  });
  if (values.verbose) {
    for (const p of report.placements) {
      console.log(
        `#${p.order.index} ${p.order.customer} ${p.order.paymentToken} ${JSON.stringify(p.order.lines)} key=${p.order.idempotencyKey ?? '-'}: ${p.statuses.join(' ')} ${p.orderId ?? p.refusal ?? ''}`,
      );
    }
  }
  console.log(`\n${formatChaosReport(report)}`);
  failed = chaosFailed(report);
} finally {
  await shop.stop();
}
process.exit(failed ? 1 : 0);
