import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

describe("a test run's temporary directory (vitest.globalSetup.ts)", () => {
  it('is the run’s own, one directory inside the one it was given', () => {
    // The global setup ran before this worker started, and gave it TMPDIR.
    expect(basename(tmpdir())).toMatch(/^shop-test-/);
    expect(basename(dirname(tmpdir()))).not.toMatch(/^shop-test-/);
  });
});
