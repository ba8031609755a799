import { parseArgs } from 'node:util';
import { catalogue, findDanglingSubscriptions } from '@shop/contracts';
import { checkContracts, formatReport, passes } from './checkContracts.js';
import { currentSchemas, generateFiles } from './documents.js';
import { readCommitted, readSchemasAt, schemasOf } from './files.js';
import { subscribers } from './subscribers.js';

const { values } = parseArgs({ options: { base: { type: 'string' } } });
const committed = readCommitted();
const published = values.base === undefined ? schemasOf(committed) : readSchemasAt(values.base);
const current = currentSchemas();
const report = checkContracts({
  generated: generateFiles(),
  committed,
  published,
  current,
  dangling: findDanglingSubscriptions(catalogue, subscribers),
});

const against =
  values.base === undefined ? 'the committed schemas' : `the schemas at ${values.base}`;
console.log(`contracts:check: ${current.size} event versions against ${against}`);
for (const line of formatReport(report)) console.log(`  ${line}`);
if (passes(report)) {
  console.log('contracts:check: ok');
} else {
  if (report.breaking.length > 0) {
    console.log(
      'A published event version may only gain optional fields. Publish a breaking change as a new version, side by side with the old one (docs/adr/0002-event-envelope-and-versioning.md).',
    );
  }
  process.exitCode = 1;
}
