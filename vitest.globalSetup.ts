import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const PREFIX = 'shop-test-';

/**
 * Gives a test run a temporary directory of its own, removed when the run ends, as `TMPDIR` for
 * the run's workers and whatever they start. What tests and the tools under them write there
 * (CDK's assemblies of every app synthesized without an `outdir`, fixtures, DynamoDB Local's
 * native library) goes with it, even when a test fails or kills a process on purpose.
 *
 * A run of several projects sets up each: the first makes the directory, the others use it (a
 * directory in a directory in a directory would make the paths in it too long for a Unix
 * socket, which Chromium keeps there).
 */
export default function setup(): () => void {
  if (basename(tmpdir()).startsWith(PREFIX)) return () => undefined;
  const outer = process.env['TMPDIR'];
  const directory = mkdtempSync(join(tmpdir(), PREFIX));
  process.env['TMPDIR'] = directory;
  return () => {
    if (outer === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = outer;
    rmSync(directory, { recursive: true, force: true });
  };
}
