import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(`${root}/package.json`);

// ADR 0028: two packages ship a `tsc` bin, and which one npm links decides how fast every
// typecheck and build runs and which compiler checks the code.
describe('the TypeScript toolchain', () => {
  it('runs TypeScript 7 as `tsc` in every package script', () => {
    const version = execFileSync(`${root}/node_modules/.bin/tsc`, ['--version'], {
      encoding: 'utf8',
    });
    expect(version.trim()).toMatch(/^Version 7\./);
  });

  it('keeps TypeScript 5 as the package whose API dependency-cruiser and the manifests test use', () => {
    const typescript = require('typescript') as { version: string };
    expect(typescript.version).toMatch(/^5\./);
  });
});
