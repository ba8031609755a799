import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { SHOP_LOG_GROUPS } from '@shop/contracts';
import { lambdaEventLine } from '../lambdaEventLine.js';
import { startShop } from '../startShop.js';
import { writeDeviceTrustKey } from './deviceTrustFiles.js';
import { localSettings } from './environment.js';
import { startupStatus } from './startupStatus.js';
import { TOTP_SECRETS_FILE, writeTotpSecrets } from './totpSecretsFile.js';

const began = performance.now();
const log = (line: string) => console.log(`[shop] ${line}`);
const settings = localSettings();
// The AWS SDK warns about Node 20 in every process and thread; the shop's are told not to, and
// this says it once, with what to do.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
if (Number(process.versions.node.split('.')[0]) < 22) {
  log(
    `Node ${process.version}: AWS SDK releases from January 2027 need Node 22 (as Lambda's nodejs22.x); upgrade Node first.`,
  );
}
// Every IAM decision of the fronts before DynamoDB, SQS, EventBridge and Verified Permissions,
// and every decision of the Verified Access endpoint.
const DECISIONS = resolve('.local-cloud', 'iam-decisions.jsonl');
const ADMIN_ENV = resolve('.local-cloud', 'admin.env');
mkdirSync(resolve('.local-cloud'), { recursive: true });
// Buffered: every AWS call of every function is decided, so the log must not block the fronts.
const decisions = createWriteStream(DECISIONS);

// Where npm was run from (the repository's root, usually), for paths a person can paste.
const shown = (path: string) => relative(process.env['INIT_CWD'] ?? process.cwd(), path);
const status = startupStatus(process.stdout, log);
// The services' logs while the shop starts (the catalogue's seeding) are shown only if it fails.
let startupLogs: string[] | undefined = [];
const serviceLog = (line: string) => {
  if (startupLogs === undefined) console.log(line);
  else startupLogs.push(line);
};

status.progress(
  'starting DynamoDB Local, the emulators behind their IAM fronts, and the three services ...',
);
try {
  const shop = await startShop({
    ...settings,
    // Always: `iam: 'off'` is the saga benchmark's baseline, never a way to run the shop.
    iam: 'enforced',
    progress: status.progress,
    onLog: (service, line) => serviceLog(`[${service}] ${line}`),
    onAccessLog: (entry) => serviceLog(`[lattice] ${JSON.stringify(entry)}`),
    onLambdaEvent: (event) => serviceLog(`[lambda] ${lambdaEventLine(event)}`),
    onIamDecision: (entry) => {
      decisions.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
      if (entry.decision === 'Deny') status.print(`[iam] ${JSON.stringify(entry)}`);
    },
    onVerifiedAccessDecision: (entry) => {
      decisions.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
      if (entry.decision === 'Deny') status.print(`[va] ${JSON.stringify(entry)}`);
    },
  });
  status.done();
  startupLogs = undefined;
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  // The administrator's keys go to a file, not the screen: `source` it to use the AWS CLI or SDK.
  writeFileSync(
    ADMIN_ENV,
    Object.entries(shop.environment)
      .map(([name, value]) => `export ${name}=${value}\n`)
      .join(''),
    { mode: 0o600 },
  );
  // The staff's authenticator apps, made for this run: `npx shop` computes their codes from it.
  writeTotpSecrets(shop.totpSecrets);
  // The device trust provider's key, made for this run: `npx shop device` issues postures with it.
  writeDeviceTrustKey(shop.deviceTrustKey);
  const row = (label: string, text: string) => console.log(`  ${label.padEnd(14)}${text}`);
  console.log(`The shop is ready (${seconds} s). Everything listens on 127.0.0.1.\n`);
  row('REST APIs', shop.apis.apis.map((api) => `${api.name} ${api.url}`).join('  '));
  row(
    'Lattice',
    `${shop.lattice.services.map((service) => `${service.name} ${service.url}`).join('  ')}  (SigV4, auth policies)`,
  );
  row('User pools', `customers ${shop.environment['TOKEN_ISSUER']}  (users: npx shop help)`);
  row('', `staff ${shop.environment['STAFF_TOKEN_ISSUER']}`);
  row('', `staff sign in with a TOTP code; their secrets: ${shown(TOTP_SECRETS_FILE)}`);
  row(
    'Staff access',
    `${shop.verifiedAccess.url}/<service>/admin/...  (Verified Access: ID token + npx shop device compliant)`,
  );
  row(
    '',
    `before the staff load balancer ${shop.staffLoadBalancer.url}, which needs its user context`,
  );
  row(
    'Staff console',
    `${shop.verifiedAccess.url}/console/  (sign in as oscar or ada with their code: npx shop code oscar)`,
  );
  row('Card sandbox', shop.cardProcessor.url);
  for (const service of shop.services) {
    row(service.service, service.functions.join(', '));
  }
  row('IAM', 'every AWS call signed by its caller’s own role, judged by the stacks’ policies;');
  row('', `denials print here as [iam] lines; all: tail -f ${shown(DECISIONS)}`);
  row('Logs', `CloudWatch Logs at ${shop.cloud.logs.endpoint}: the bus's audit log and decisions`);
  row('', `aws logs filter-log-events --log-group-name ${SHOP_LOG_GROUPS.audit}`);
  row('AWS CLI / SDK', `as the local administrator: source ${shown(ADMIN_ENV)}`);
  row('Events', 'npm run catalogue -w @shop/event-catalogue');
  row('Start-up', status.slowest(3));
  console.log(
    '\nPlace an order from another terminal:  npx shop place MUG-001:2 --card tok_success',
  );
  console.log('Press Ctrl-C to stop.');

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
  status.done();
  for (const line of startupLogs ?? []) console.log(line);
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
