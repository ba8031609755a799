import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { costDocument } from './costDocument.js';
import { COST_DOCUMENT_PATH, readInputs, repoRoot } from './files.js';

writeFileSync(join(repoRoot, COST_DOCUMENT_PATH), costDocument(readInputs()));
console.log(`cost:generate: wrote ${COST_DOCUMENT_PATH}`);
