#!/usr/bin/env node
// Runs the shop CLI from its TypeScript source, resolving workspace packages to their sources.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
