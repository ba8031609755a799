import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ServiceName } from '@shop/contracts';
import type { ShopTopology } from '@shop/topology';
import { type BuildOptions, build, version } from 'esbuild';

/**
 * How each function's code is bundled, as the services' stacks bundle it for Lambda
 * (`FUNCTION_BUNDLING` in `@shop/service-stack`, which a test holds these to): minified ESM for
 * Node 22 with the AWS SDK in, `require` made for the CommonJS parts. Locally a linked source map
 * is added, and the service processes run with source maps on, so a stack trace names the
 * TypeScript sources.
 */
export const LOCAL_BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: 'linked',
  mainFields: ['module', 'main'],
  conditions: ['@shop/source'],
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;

/** A set not used to start a shop for this long is removed when a newer one is kept. */
const KEPT_FOR_MS = 24 * 60 * 60 * 1000;

/** Removes the sets in `cache` other than `current` that no shop has started from for a day. */
const removeOldSets = async (cache: string, current: string): Promise<void> => {
  const old = Date.now() - KEPT_FOR_MS;
  for (const entry of await readdir(cache, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === current) continue;
    const path = join(cache, entry.name);
    const { mtimeMs } = await stat(path);
    if (mtimeMs < old) await rm(path, { recursive: true, force: true });
  }
};

/** Modules esbuild bundled, or found bundled from the same sources. */
export interface Bundles {
  /** Each entry point's module, by entry name. */
  readonly modules: Readonly<Record<string, URL>>;
  /** Whether esbuild ran, rather than a kept set being used. */
  readonly bundled: boolean;
}

/** The code a shop runs: its service hosts', the console's and every function's, as module files. */
export interface ShopCode {
  /** The service process's entry (`serviceHost.mjs`). */
  readonly serviceHost: string;
  /** An execution environment's entry, the file URL a worker thread loads. */
  readonly functionHost: URL;
  /** The console function's execution environment, its handler bundled in: the URL a thread loads. */
  readonly consoleHost: URL;
  /** A function's handler module, by function name, as a file URL. */
  readonly handlers: Readonly<Record<string, string>>;
  /** Whether it was bundled for this shop, rather than kept from an earlier one. */
  readonly bundled: boolean;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
const SOURCES = join(PACKAGE_ROOT, 'src');
/** Where bundles are kept between shops, each set in a directory named by its inputs' hash. */
const CACHE = join(PACKAGE_ROOT, 'node_modules', '.cache', 'shop-code');

interface Index {
  readonly key: string;
  readonly directory: string;
  /** Input path (relative to the package) → sha256 of its content. */
  readonly inputs: Readonly<Record<string, string>>;
}

const sha256 = (content: string | Uint8Array): string =>
  createHash('sha256').update(content).digest('hex');

const handlerModule = (service: ServiceName, handler: string) =>
  `@shop/${service}/handlers/${handler}`;

const modulesIn = (directory: string, entryPoints: Readonly<Record<string, string>>) =>
  Object.fromEntries(
    Object.keys(entryPoints).map((name) => [name, pathToFileURL(join(directory, `${name}.mjs`))]),
  );

/** The set last kept in `cache`, if it was built for these entries from exactly the files there now. */
const kept = async (cache: string, key: string): Promise<Index | undefined> => {
  const index = JSON.parse(
    await readFile(join(cache, 'index.json'), 'utf8').catch(() => 'null'),
  ) as Index | null;
  if (index === null || index.key !== key) return undefined;
  for (const [path, hash] of Object.entries(index.inputs)) {
    const content = await readFile(join(PACKAGE_ROOT, path)).catch(() => undefined);
    if (content === undefined || sha256(content) !== hash) return undefined;
  }
  return index;
};

/**
 * Bundles `entryPoints` (entry name → module, resolved from this package) with
 * {@link LOCAL_BUNDLING} into `cache`, or finds them there: a set is kept with the hash of each
 * file it was built from, and used again only if every one of those files still has that
 * content, so a changed source is bundled again before anything runs it. A set whose files
 * changed while it was bundled is used once and not kept. Keeping a new set removes those no
 * shop has started from for a day.
 *
 * @example
 * ```ts
 * const { modules } = await bundle({ serviceHost: './src/serviceHost.ts' }, cacheDirectory);
 * fork(fileURLToPath(modules.serviceHost), ['order']);
 * ```
 */
export const bundle = async (
  entryPoints: Readonly<Record<string, string>>,
  cache: string,
): Promise<Bundles> => {
  const key = sha256(JSON.stringify({ version, LOCAL_BUNDLING, entryPoints }));
  const hit = await kept(cache, key);
  if (hit !== undefined) {
    const directory = join(cache, hit.directory);
    const now = new Date();
    await utimes(directory, now, now);
    return { modules: modulesIn(directory, entryPoints), bundled: false };
  }
  const began = Date.now();
  const outdir = join(cache, 'out');
  const result = await build({
    ...LOCAL_BUNDLING,
    entryPoints: { ...entryPoints },
    absWorkingDir: PACKAGE_ROOT,
    outdir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const inputs: Record<string, string> = {};
  let changedMeanwhile = false;
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = join(PACKAGE_ROOT, input);
    const [content, { mtimeMs }] = await Promise.all([readFile(path), stat(path)]);
    inputs[relative(PACKAGE_ROOT, path)] = sha256(content);
    if (mtimeMs >= began) changedMeanwhile = true;
  }
  const directory = sha256(JSON.stringify({ key, inputs })).slice(0, 16);
  const target = join(cache, directory);
  // Written aside, then moved in whole: a shop starting meanwhile sees a whole set or none.
  const aside = join(cache, `.${directory}-${randomUUID()}`);
  await mkdir(aside, { recursive: true });
  await Promise.all(
    result.outputFiles.map((file) =>
      writeFile(join(aside, relative(outdir, file.path)), file.contents),
    ),
  );
  await rename(aside, target).catch(() => rm(aside, { recursive: true, force: true }));
  if (!changedMeanwhile) {
    const index = join(cache, `.index-${randomUUID()}.json`);
    await writeFile(index, JSON.stringify({ key, directory, inputs } satisfies Index));
    await rename(index, join(cache, 'index.json'));
    await removeOldSets(cache, directory);
  }
  return { modules: modulesIn(target, entryPoints), bundled: true };
};

/**
 * The code of a shop, bundled from the sources as Lambda's bundles are ({@link bundle}), kept in
 * `node_modules/.cache/shop-code/` between shops: the service processes and the console's
 * execution environment load plain JavaScript instead of compiling TypeScript through loader hooks
 * in every execution environment.
 *
 * @example
 * ```ts
 * const code = await shopCode(topology);
 * fork(code.serviceHost, ['order', code.functionHost.href], { execArgv: ['--enable-source-maps'] });
 * ```
 */
export const shopCode = async (topology: ShopTopology): Promise<ShopCode> => {
  const { modules, bundled } = await bundle(
    {
      serviceHost: join(SOURCES, 'serviceHost.ts'),
      functionHost: join(SOURCES, 'functionHost.ts'),
      consoleHost: join(SOURCES, 'consoleHost.ts'),
      ...Object.fromEntries(
        topology.functions.map((fn) => [fn.functionName, handlerModule(fn.service, fn.handler)]),
      ),
    },
    CACHE,
  );
  const moduleOf = (name: string) => {
    const module = modules[name];
    if (module === undefined) throw new Error(`No module bundled for ${name}`);
    return module;
  };
  return {
    serviceHost: fileURLToPath(moduleOf('serviceHost')),
    functionHost: moduleOf('functionHost'),
    consoleHost: moduleOf('consoleHost'),
    handlers: Object.fromEntries(
      topology.functions.map((fn) => [fn.functionName, moduleOf(fn.functionName).href]),
    ),
    bundled,
  };
};
