import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gives a test run a temporary directory of its own, removed when the run ends, as `TMPDIR` for
 * the run's workers and whatever they start. What tests and the tools under them write there
 * (CDK's assemblies of every app synthesized without an `outdir`, fixtures, DynamoDB Local's
 * native library) goes with it, even when a test fails or kills a process on purpose.
 */
export default function setup(): () => void {
  const outer = process.env['TMPDIR'];
  const directory = mkdtempSync(join(tmpdir(), 'shop-test-run-'));
  process.env['TMPDIR'] = directory;
  return () => {
    if (outer === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = outer;
    rmSync(directory, { recursive: true, force: true });
  };
}
