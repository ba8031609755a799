import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { costDocument, costSummary } from './costDocument.js';
import { COST_DOCUMENT_PATH, MEASURED_PATH, readInputs, repoRoot } from './files.js';

// `npm run cost:generate` writes docs/cost.md; `--print` (`npm run bench`, after the saga
// benchmark has counted an order's calls) prints its summary too.
const inputs = readInputs();
writeFileSync(join(repoRoot, COST_DOCUMENT_PATH), costDocument(inputs));
console.log(`cost:generate: wrote ${COST_DOCUMENT_PATH}`);
if (process.argv.includes('--print')) {
  console.log(`\nWhat a million orders cost, from the calls in ${MEASURED_PATH}:\n`);
  console.log(costSummary(inputs).join('\n'));
}
