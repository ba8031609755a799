/**
 * Fuzzes a running shop through its REST APIs and Lattice services, as its users and roles do,
 * then checks that every order it created settled and that no stock leaked. Prints the answers
 * by status, every 5xx with the seed and index that make it again, and exits 1 on any 5xx,
 * stranded order or leaked stock.
 *
 *   npm run fuzz -w @shop/system-tests                          5,000 requests, seed 1
 *   npm run fuzz -w @shop/system-tests -- --requests 300 --seed 7
 *   npm run fuzz -w @shop/system-tests -- --seed 7 --only 12,40  those requests of that run again
 *   ... --verbose                                                  and every answer, one line each
 */
import { parseArgs } from 'node:util';
import { FREE_PORTS, startShop } from '@shop/local-system';
import { formatFuzzReport, fuzzFailed } from '../src/fuzz/fuzzReport.js';
import { FUZZ_CATALOGUE, runFuzz } from '../src/fuzz/runFuzz.js';
import { wholeNumber } from '../src/wholeNumber.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    'settle-timeout': { type: 'string', default: '300' },
    verbose: { type: 'boolean', default: false },
  },
});
const only = values.only?.split(',').map((index) => wholeNumber('only', index));

const began = performance.now();
const log = (line: string) => console.log(`[fuzz] ${line}`);
/** What the services logged at ERROR and WARN: the first place to look for a 5xx's cause. */
const errors: string[] = [];
const warnings: string[] = [];
const shop = await startShop({
  ports: FREE_PORTS,
  catalogue: FUZZ_CATALOGUE,
  logLevel: 'WARN',
  progress: log,
  onLog: (service, line) => {
    if (line.includes('"level":"ERROR"')) errors.push(`[${service}] ${line}`);
    if (line.includes('"level":"WARN"')) warnings.push(`[${service}] ${line}`);
  },
});
let failed = true;
try {
  log(`shop ready in ${Math.round(performance.now() - began)} ms`);
  const report = await runFuzz({
    shop,
    seed: wholeNumber('seed', values.seed),
    requests: wholeNumber('requests', values.requests),
    ...(only !== undefined && { only }),
    concurrency: Math.max(1, wholeNumber('concurrency', values.concurrency)),
    settleTimeoutMs: 1000 * wholeNumber('settle-timeout', values['settle-timeout']),
    progress: log,
  });
  if (values.verbose) {
    for (const { request, status, body } of report.answers) {
      console.log(
        `#${request.index} ${status} ${request.method} ${request.target.kind} ${request.target.service} ${request.path.slice(0, 100)} (${request.kind}): ${body.slice(0, 200)}`,
      );
    }
  }
  console.log(`\n${formatFuzzReport(report)}`);
  if (errors.length > 0) {
    console.log(`\nService errors logged (${errors.length}, the first 20):`);
    for (const line of errors.slice(0, 20)) console.log(`  ${line.slice(0, 2000)}`);
  }
  if (warnings.length > 0) {
    console.log(`\nService warnings logged (${warnings.length}, the first 10):`);
    for (const line of warnings.slice(0, 10)) console.log(`  ${line.slice(0, 1000)}`);
  }
  failed = fuzzFailed(report);
} finally {
  await shop.stop();
}
process.exit(failed ? 1 : 0);
