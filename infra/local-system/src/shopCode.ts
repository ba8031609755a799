import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/** The code a shop runs: its service hosts' and every function's, as module files. */
export interface ShopCode {
  /** The service process's entry (`serviceHost.mjs`). */
  readonly serviceHost: string;
  /** An execution environment's entry, the file URL a worker thread loads. */
  readonly functionHost: URL;
  /** A function's handler module, by function name, as a file URL. */
  readonly handlers: Readonly<Record<string, string>>;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
const SOURCES = join(PACKAGE_ROOT, 'src');
/** Where bundles are kept between shops, each set in a directory named by its inputs' hash. */
const CACHE = join(PACKAGE_ROOT, 'node_modules', '.cache', 'shop-code');
/** The set last built, and the hash of each of its inputs, for the next shop to check. */
const INDEX = join(CACHE, 'index.json');

interface Index {
  readonly key: string;
  readonly directory: string;
  /** Input path (relative to the package) → sha256 of its content. */
  readonly inputs: Readonly<Record<string, string>>;
}

const sha256 = (content: string | Uint8Array): string =>
  createHash('sha256').update(content).digest('hex');

/** The entry points of a shop: the two hosts, then every function's handler module. */
const entryPointsOf = (topology: ShopTopology): Record<string, string> => ({
  serviceHost: join(SOURCES, 'serviceHost.ts'),
  functionHost: join(SOURCES, 'functionHost.ts'),
  ...Object.fromEntries(
    topology.functions.map((fn) => [fn.functionName, handlerModule(fn.service, fn.handler)]),
  ),
});

const handlerModule = (service: ServiceName, handler: string) =>
  `@shop/${service}/handlers/${handler}`;

/** What decides the output besides the inputs' content: esbuild's version, its options, the entries. */
const keyOf = (entryPoints: Record<string, string>) =>
  sha256(JSON.stringify({ version, LOCAL_BUNDLING, entryPoints }));

const codeIn = (directory: string, entryPoints: Record<string, string>): ShopCode => ({
  serviceHost: join(directory, 'serviceHost.mjs'),
  functionHost: pathToFileURL(join(directory, 'functionHost.mjs')),
  handlers: Object.fromEntries(
    Object.keys(entryPoints).map((name) => [
      name,
      pathToFileURL(join(directory, `${name}.mjs`)).href,
    ]),
  ),
});

/** The last set built, if it was built for these entries from exactly the files there now. */
const cached = async (key: string): Promise<Index | undefined> => {
  const index = JSON.parse(await readFile(INDEX, 'utf8').catch(() => 'null')) as Index | null;
  if (index === null || index.key !== key) return undefined;
  for (const [path, hash] of Object.entries(index.inputs)) {
    const content = await readFile(join(PACKAGE_ROOT, path)).catch(() => undefined);
    if (content === undefined || sha256(content) !== hash) return undefined;
  }
  return index;
};

/**
 * The code of a shop, bundled from the sources by esbuild with the options Lambda's bundles are
 * built with ({@link LOCAL_BUNDLING}), so the service processes load plain JavaScript instead of
 * compiling TypeScript through loader hooks in every execution environment. A set is kept in
 * `node_modules/.cache/shop-code/` with the hash of each file it was built from, and used again
 * only if every one of those files still has that content: a changed source is bundled again
 * before any function runs it. A file that changed while it was bundled keeps the set from being
 * kept.
 *
 * @example
 * ```ts
 * const code = await shopCode(topology);
 * fork(code.serviceHost, ['order'], { execArgv: ['--enable-source-maps'] });
 * ```
 */
export const shopCode = async (topology: ShopTopology): Promise<ShopCode> => {
  const entryPoints = entryPointsOf(topology);
  const key = keyOf(entryPoints);
  const hit = await cached(key);
  if (hit !== undefined) return codeIn(join(CACHE, hit.directory), entryPoints);

  const began = Date.now();
  const result = await build({
    ...LOCAL_BUNDLING,
    entryPoints,
    absWorkingDir: PACKAGE_ROOT,
    outdir: join(CACHE, 'out'),
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
  const target = join(CACHE, directory);
  // Written aside, then moved in whole: a shop starting meanwhile sees a set or none.
  const aside = join(CACHE, `.${directory}-${randomUUID()}`);
  await mkdir(aside, { recursive: true });
  await Promise.all(
    result.outputFiles.map((file) =>
      writeFile(join(aside, relative(join(CACHE, 'out'), file.path)), file.contents),
    ),
  );
  await rename(aside, target).catch(() => rm(aside, { recursive: true, force: true }));
  if (!changedMeanwhile) {
    const index = join(CACHE, `.index-${randomUUID()}.json`);
    await writeFile(index, JSON.stringify({ key, directory, inputs } satisfies Index));
    await rename(index, INDEX);
  }
  return codeIn(target, entryPoints);
};
