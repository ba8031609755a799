/**
 * Least privilege, proven by use: matches the calls the last run of the system tests recorded
 * (`.access/`) against every role's grants and renders `docs/security/access-exercised.md`.
 *
 *   tsx scripts/accessExercised.ts --write   regenerates the document
 *   tsx scripts/accessExercised.ts --check   fails on a problem, or when the document differs
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { localAccess } from '@shop/local-system';
import { readAccessRecords } from '../src/access/accessRecords.js';
import { exercisedAccess, type ScopedJustification } from '../src/access/exercisedAccess.js';
import { parseJustifications } from '../src/access/parseJustifications.js';
import { renderExercisedAccess } from '../src/access/renderExercisedAccess.js';

const ROOT = new URL('../../../', import.meta.url);
const DOCUMENT = 'docs/security/access-exercised.md';
const TESTS = new URL('../test/', import.meta.url);

const mode = process.argv[2];
if (mode !== '--write' && mode !== '--check') {
  console.error('Usage: tsx scripts/accessExercised.ts --write | --check');
  process.exit(2);
}

const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const sourcesIn = (directory: string): string[] =>
  readdirSync(new URL(directory, ROOT), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => `${directory}${name}`)
    .sort();

/** Grants a manifest's access levels make are justified in the manifest; a construct's, there. */
const declarations = [
  ...readdirSync(new URL('services/', ROOT))
    .sort()
    .map((service) => ({ path: `services/${service}/service.ts`, service })),
  ...sourcesIn('infra/service-stack/src/').map((path) => ({ path, service: undefined })),
];
const malformed: string[] = [];
const justifications: ScopedJustification[] = declarations.flatMap(({ path, service }) => {
  const parsed = parseJustifications(read(path), path);
  malformed.push(...parsed.malformed);
  return parsed.justifications.map((justification) => ({ ...justification, service }));
});

// The region and bus startShop runs the shop with.
const { roles } = localAccess({ region: 'eu-west-1', busName: 'shop' });
const access = exercisedAccess({
  roles,
  records: readAccessRecords(),
  files: readdirSync(TESTS)
    .filter((name) => name.endsWith('.test.ts'))
    .filter((name) => readFileSync(new URL(name, TESTS), 'utf8').includes('startTestShop('))
    .sort(),
  justifications,
});
const document = renderExercisedAccess(access);
const problems = [...malformed, ...access.problems];

if (mode === '--write') {
  writeFileSync(new URL(DOCUMENT, ROOT), document);
  console.log(`Wrote ${DOCUMENT}`);
} else if (!existsSync(new URL(DOCUMENT, ROOT)) || read(DOCUMENT) !== document) {
  problems.push(
    `${DOCUMENT} differs from what this run of the system tests shows: regenerate it with 'npm run access:generate' (the system tests, then this script with --write) and commit it`,
  );
}
for (const problem of problems) console.error(`✗ ${problem}`);
if (problems.length > 0) process.exit(1);
console.log(`✓ ${DOCUMENT}: least privilege proven both ways`);
