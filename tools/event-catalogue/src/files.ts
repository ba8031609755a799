import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedFiles } from './documents.js';
import { ASYNCAPI_PATH, CATALOGUE_PATH, SCHEMAS_DIR } from './documents.js';
import type { JsonSchema } from './jsonSchema.js';

/** The repository root, found from this file's location. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const listFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
    : [];

/** The committed generated files in the work tree, by repository path. */
export const readCommitted = (root = repoRoot): Map<string, string> => {
  const paths = [
    ...listFiles(join(root, SCHEMAS_DIR)).map((file) => relative(root, file)),
    ASYNCAPI_PATH,
    CATALOGUE_PATH,
  ];
  return new Map(
    paths
      .filter((path) => existsSync(join(root, path)))
      .map((path) => [path, readFileSync(join(root, path), 'utf8')]),
  );
};

/** Published schemas, keyed by path under `contracts/schemas/`, from committed file contents. */
export const schemasOf = (files: ReadonlyMap<string, string>): Map<string, JsonSchema> =>
  new Map(
    [...files]
      .filter(([path]) => path.startsWith(`${SCHEMAS_DIR}/`) && path.endsWith('.json'))
      .map(([path, content]) => [
        path.slice(SCHEMAS_DIR.length + 1),
        JSON.parse(content) as JsonSchema,
      ]),
  );

/** The schemas as published at a git ref (a branch, tag or commit). */
export const readSchemasAt = (ref: string, root = repoRoot): Map<string, JsonSchema> => {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const listing = git('ls-tree', '-r', '--name-only', ref, '--', SCHEMAS_DIR)
    .split('\n')
    .filter((path) => path.endsWith('.json'));
  return schemasOf(new Map(listing.map((path) => [path, git('show', `${ref}:${path}`)])));
};

/** Paths of generated files to write or delete so that the work tree matches `generated`. */
export const planWrite = (
  generated: GeneratedFiles,
  committed: ReadonlyMap<string, string>,
): { write: string[]; remove: string[] } => ({
  write: [...generated]
    .filter(([path, content]) => committed.get(path) !== content)
    .map(([path]) => path),
  remove: [...committed.keys()].filter((path) => !generated.has(path)),
});
