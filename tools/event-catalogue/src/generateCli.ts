import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { catalogue, findDanglingSubscriptions } from '@shop/contracts';
import { checkContracts, formatReport } from './checkContracts.js';
import { currentSchemas, generateFiles } from './documents.js';
import { planWrite, readCommitted, repoRoot, schemasOf } from './files.js';
import { subscribers } from './subscribers.js';

const { values } = parseArgs({
  options: { 'accept-breaking': { type: 'boolean', default: false } },
});
const committed = readCommitted();
const generated = generateFiles();
const report = checkContracts({
  generated,
  committed,
  published: schemasOf(committed),
  current: currentSchemas(),
  dangling: findDanglingSubscriptions(catalogue, subscribers),
});

if ((report.breaking.length > 0 && !values['accept-breaking']) || report.dangling.length > 0) {
  for (const line of formatReport({ ...report, stale: [] })) console.error(`  ${line}`);
  console.error(
    'contracts:generate: refusing to overwrite published schemas with a breaking change. Add a new version instead; pass --accept-breaking only for a version that was never published.',
  );
  process.exit(1);
}

const plan = planWrite(generated, committed);
for (const path of plan.write) {
  mkdirSync(dirname(join(repoRoot, path)), { recursive: true });
  writeFileSync(join(repoRoot, path), generated.get(path) ?? '');
  console.log(`wrote   ${path}`);
}
for (const path of plan.remove) {
  rmSync(join(repoRoot, path));
  console.log(`removed ${path}`);
}
console.log(
  `contracts:generate: ${plan.write.length} written, ${plan.remove.length} removed, ${generated.size} files in all`,
);
