import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type IConfiguration } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const config = require('../dependency-cruiser.config.cjs') as IConfiguration;

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

/** A rule broken by one import. */
export interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Runs dependency-cruiser with the repository's rules over `paths`, relative to `baseDir`, and
 * returns every violation.
 */
export const findViolations = async (
  paths: readonly string[],
  baseDir: string = repoRoot,
): Promise<Violation[]> => {
  const existing = paths.filter((path) => existsSync(join(baseDir, path)));
  const result = await cruise(existing, {
    ...config.options,
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
    baseDir,
  });
  if (typeof result.output === 'string') throw new Error('unexpected text output');
  return result.output.summary.violations.map((violation) => ({
    rule: violation.rule.name,
    from: violation.from,
    to: violation.to,
  }));
};
