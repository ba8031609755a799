#!/usr/bin/env node
// Runs the shop CLI: its compiled JavaScript when it is built (`npm start` builds it), else its
// TypeScript source through tsx, resolving workspace packages to their sources (slower to start).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/shop.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const cli = fileURLToPath(new URL('../src/cli/shop.ts', import.meta.url));
  const { status } = spawnSync(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      '--conditions=@shop/source',
      cli,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  process.exit(status ?? 1);
}
