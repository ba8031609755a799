import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_BUNDLING } from '@shop/service-stack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundle, LOCAL_BUNDLING } from '../src/shopCode.js';

describe('bundle', () => {
  let directory: string;
  let cache: string;
  let entry: string;
  let helper: string;
  /** Writes a source as saved before a bundle starts: a file changed while it is bundled is not kept. */
  const save = async (path: string, content: string) => {
    await writeFile(path, content);
    const saved = new Date(Date.now() - 60_000);
    await utimes(path, saved, saved);
  };

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'shop-code-'));
    cache = join(directory, 'cache');
    entry = join(directory, 'entry.ts');
    helper = join(directory, 'helper.ts');
    await save(entry, "import { answer } from './helper.ts';\nexport const value = answer;\n");
    await save(helper, 'export const answer: number = 1;\n');
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  const bundledValue = async (): Promise<{ value: number; bundled: boolean }> => {
    const { modules, bundled } = await bundle({ entry }, cache);
    const { value } = (await import(String(modules['entry']))) as { value: number };
    return { value, bundled };
  };

  it('keeps a bundle while the files it was built from are unchanged', async () => {
    expect(await bundledValue()).toEqual({ value: 1, bundled: true });
    expect(await bundledValue()).toEqual({ value: 1, bundled: false });
  });

  it('bundles again when a file an entry imports has changed', async () => {
    expect(await bundledValue()).toEqual({ value: 1, bundled: true });
    await save(helper, 'export const answer: number = 2;\n');

    expect(await bundledValue()).toEqual({ value: 2, bundled: true });
  });
});

describe('LOCAL_BUNDLING', () => {
  it("bundles as the services' stacks bundle their functions for Lambda", () => {
    expect({
      format: LOCAL_BUNDLING.format,
      target: LOCAL_BUNDLING.target,
      minify: LOCAL_BUNDLING.minify,
      mainFields: LOCAL_BUNDLING.mainFields,
      conditions: LOCAL_BUNDLING.conditions,
      banner: LOCAL_BUNDLING.banner.js,
      external: [],
    }).toEqual({
      format: FUNCTION_BUNDLING.format,
      target: FUNCTION_BUNDLING.target,
      minify: FUNCTION_BUNDLING.minify,
      mainFields: FUNCTION_BUNDLING.mainFields,
      conditions: [FUNCTION_BUNDLING.esbuildArgs?.['--conditions']],
      banner: FUNCTION_BUNDLING.banner,
      external: FUNCTION_BUNDLING.externalModules,
    });
  });
});
