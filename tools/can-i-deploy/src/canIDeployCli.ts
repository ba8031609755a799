// npm run can-i-deploy -- --service order --against <commit-or-ref> [--deployed inventory=<commit>]...
// Verifies the working tree's service against the commits the other services run in an
// environment; exits 1 when it cannot be deployed.
import { parseArgs } from 'node:util';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { inventoryEventMakers } from '@shop/inventory/event-makers';
import { orderEventMakers } from '@shop/order/event-makers';
import type { EventMakers } from '@shop/pacts';
import { paymentEventMakers } from '@shop/payment/event-makers';
import { canIDeploy, type DeployCheck } from './canIDeploy.js';
import { commitOf, othersThan } from './deployedPacts.js';

const MAKERS: Readonly<Record<ServiceName, EventMakers>> = {
  order: orderEventMakers,
  inventory: inventoryEventMakers,
  payment: paymentEventMakers,
};

const isService = (value: string | undefined): value is ServiceName =>
  SERVICE_NAMES.some((name) => name === value);

const usage = `Usage: npm run can-i-deploy -- --service <${SERVICE_NAMES.join('|')}> [--against <commit-or-ref>] [--deployed <service>=<commit-or-ref>]...
  --against    the commit every other service runs (e.g. the one deployed to production)
  --deployed   the commit one other service runs, over --against (repeatable); a service named by
               neither is not deployed there`;

const line = (check: DeployCheck) =>
  check.candidateIs === 'producer'
    ? `${check.pact}: ${check.against} reads ${check.interactions.join(', ')} of the candidate's events`
    : `${check.pact}: the candidate reads ${check.interactions.join(', ')} as ${check.against} verified`;

try {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      service: { type: 'string' },
      against: { type: 'string' },
      deployed: { type: 'string', multiple: true },
    },
  });
  const service = values.service;
  if (!isService(service)) throw new Error(usage);
  const deployed: Partial<Record<ServiceName, string>> = {};
  for (const other of othersThan(service)) {
    if (values.against !== undefined) deployed[other] = values.against;
  }
  for (const pair of values.deployed ?? []) {
    const [other, ref] = pair.split('=');
    if (!isService(other) || other === service || ref === undefined || ref === '') {
      throw new Error(`--deployed ${pair}: expected <other service>=<commit-or-ref>\n${usage}`);
    }
    deployed[other] = ref;
  }
  const candidate = commitOf(process.cwd(), 'HEAD');
  const running = Object.entries(deployed).map(([other, ref]) => `${other} at ${ref}`);
  console.log(
    `can-i-deploy ${service} (the working tree, at ${candidate}) against ${running.join(', ') || 'nothing deployed'}`,
  );
  const verdict = await canIDeploy({ service, deployed, makers: MAKERS[service] });
  for (const check of verdict.checks) {
    console.log(`  ${check.failures.length === 0 ? '✓' : '✗'} ${line(check)}`);
    for (const failure of check.failures) console.log(`      ${failure}`);
  }
  if (verdict.checks.length === 0) console.log('  (no pact with a deployed service)');
  console.log(
    verdict.deployable
      ? `Verdict: ${service} can be deployed.`
      : `Verdict: ${service} cannot be deployed: ${verdict.checks.filter((c) => c.failures.length > 0).length} pact(s) broken.`,
  );
  if (!verdict.deployable) process.exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
