import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cruise.js';

const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');

/**
 * A scratch project with the repository's own biome.json (only its git integration turned off,
 * since the scratch folder is no repository) and the lint fixtures as real source files.
 */
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'lint-fixtures-'));
  const config = JSON.parse(readFileSync(join(repoRoot, 'biome.json'), 'utf8'));
  writeFileSync(
    join(dir, 'biome.json'),
    JSON.stringify({ ...config, $schema: undefined, vcs: { enabled: false } }),
  );
  cpSync(new URL('../fixtures/lint', import.meta.url), join(dir, 'fixtures'), { recursive: true });
  return dir;
};

const project = scratch();

/** Lints one fixture as the file `asFile` and returns the rules it breaks. */
const brokenRules = (fixture: string, asFile: string): string[] => {
  cpSync(join(project, 'fixtures', fixture), join(project, asFile));
  let output: string;
  try {
    output = execFileSync(process.execPath, [biome, 'lint', '--reporter=json', asFile], {
      cwd: project,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    output = (error as { stdout: string }).stdout;
  }
  const report = JSON.parse(output) as { diagnostics: { category: string }[] };
  return report.diagnostics.map((diagnostic) => diagnostic.category);
};

describe('lint bans, each proven on a fixture', () => {
  it.each([
    ['focused.test.ts.txt', 'focused.test.ts', 'lint/suspicious/noFocusedTests'],
    ['skipped.test.ts.txt', 'skipped.test.ts', 'lint/suspicious/noSkippedTests'],
    ['explicit-any.ts.txt', 'explicitAny.ts', 'lint/suspicious/noExplicitAny'],
    ['ts-ignore.ts.txt', 'tsIgnore.ts', 'lint/suspicious/noTsIgnore'],
    ['non-null.ts.txt', 'nonNull.ts', 'lint/style/noNonNullAssertion'],
  ])('%s breaks %s', (fixture, asFile, rule) => {
    expect(brokenRules(fixture, asFile)).toContain(rule);
  });

  it('passes a clean test file', () => {
    expect(brokenRules('clean.test.ts.txt', 'clean.test.ts')).toEqual([]);
  });
});
