import { createWriteStream, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildRegistry, catalogue, eventLabel } from '@shop/contracts';
import { lambdaEventLine } from '../lambdaEventLine.js';
import { SHOP_SERVICES } from '../services.js';
import { startShop } from '../startShop.js';
import { localSettings } from './environment.js';

const began = performance.now();
const log = (line: string) => console.log(`[shop] ${line}`);
const settings = localSettings();
// Every IAM decision of the fronts before DynamoDB, SQS, EventBridge and Verified Permissions.
const DECISIONS = resolve('.local-cloud', 'iam-decisions.jsonl');
mkdirSync(resolve('.local-cloud'), { recursive: true });
// Buffered: every AWS call of every function is decided, so the log must not block the fronts.
const decisions = createWriteStream(DECISIONS);

try {
  const shop = await startShop({
    ...settings,
    // Always: `iam: 'off'` is the saga benchmark's baseline, never a way to run the shop.
    iam: 'enforced',
    progress: log,
    onLog: (service, line) => console.log(`[${service}] ${line}`),
    onAccessLog: (entry) => console.log(`[lattice] ${JSON.stringify(entry)}`),
    onLambdaEvent: (event) => console.log(`[lambda] ${lambdaEventLine(event)}`),
    onIamDecision: (entry) => {
      decisions.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
      if (entry.decision === 'Deny') console.log(`[iam] ${JSON.stringify(entry)}`);
    },
  });
  log(`ready in ${Math.round(performance.now() - began)} ms`);
  console.log(
    '\nIAM is enforced: every call to DynamoDB, SQS, EventBridge, Lambda, Verified Permissions',
  );
  console.log(
    "and Cognito is signed by its caller's own role and judged by the stacks' policies. Decisions:",
  );
  console.log(`\n  tail -f ${DECISIONS}    (denials are also printed here as [iam] lines)`);
  console.log(
    '\nPoint any AWS SDK client or the AWS CLI at the local cloud, as its administrator, with:\n',
  );
  for (const [name, value] of Object.entries(shop.environment)) {
    console.log(`  export ${name}=${value}`);
  }
  console.log('\nEvents on the shop bus:\n');
  for (const row of buildRegistry(catalogue, SHOP_SERVICES)) {
    console.log(
      `  ${eventLabel(row).padEnd(31)} ${row.source.padEnd(15)} -> ${row.consumers.join(', ') || '-'}`,
    );
  }
  console.log(
    '\nServices, each in its own process (restarted if it crashes), and their functions:\n',
  );
  for (const service of shop.services) {
    console.log(`  ${service.service.padEnd(10)} ${service.functions.join(', ')}`);
  }
  console.log(
    '\nLattice services (SigV4 with service vpc-lattice-svcs, auth policies enforced):\n',
  );
  for (const service of shop.lattice.services) {
    console.log(`  ${service.name.padEnd(15)} ${service.url}  ${service.arn}`);
  }
  console.log(`\nCard processor sandbox: ${shop.cardProcessor.url}`);
  console.log('\nIn another terminal, place an order and watch it settle:\n');
  console.log('  npx shop place MUG-001:2 --card tok_success');
  console.log('  npx shop help');
  console.log('\nPress Ctrl-C to stop.');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ...`);
    await shop.stop();
    await new Promise((done) => decisions.end(done));
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
