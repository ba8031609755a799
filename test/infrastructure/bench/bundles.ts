/**
 * Benchmark: each function's bundle against its floor, a handler that only imports and creates
 * the AWS SDK clients the function's manifest grants it, bundled with the same options. Prints,
 * per function, the size of the code (source map apart) and the module init (import to handler
 * ready, in a fresh Node process with the function's environment, NODE_OPTIONS included): the
 * median of `BUNDLE_BENCH_RUNS` runs (default 15), imported in rounds over all the functions, and
 * the fastest run's CPU time, and their ratios; `BUNDLE_BENCH_ONLY` names the functions to
 * measure (default all).
 *
 * `--sdk` adds the same for bundles built from the handlers with the AWS SDK left to the runtime
 * (`@aws-sdk/*` and `@smithy/*` loaded from node_modules, as the runtime's) and bundled into the
 * code. `--source-maps` measures the handlers bundled with a source map, imported with and without
 * `NODE_OPTIONS=--enable-source-maps`. `--write-budgets` records the floors' sizes in
 * test/bundleBudgets.json: every function's, or with `BUNDLE_BENCH_ONLY` only those functions'
 * (the others' budgets are kept as they are). `--inputs` prints, per function, what its bundle holds and its floor's
 * does not, by package (from esbuild's metafiles of both), the largest first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import {
  buildFloor,
  closedPort,
  type FunctionBundle,
  floorBuildOptions,
  functionBuildOptions,
  type InitProbe,
  lambdaEnvironment,
  probeInit,
  readBudgets,
  sizeOf,
  synthesizeBundles,
  writeBudgets,
} from '../test/bundles.js';

const RUNS = Number.parseInt(process.env['BUNDLE_BENCH_RUNS'] ?? '15', 10);
/** Comma-separated function names to measure, e.g. `order-api,inventory-events`. @default all */
const ONLY = process.env['BUNDLE_BENCH_ONLY']?.split(',').filter(Boolean);
const TIMEOUT_MS = 60_000;
const BUDGET_RATIO = 1.01;
const options = new Set(process.argv.slice(2));

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;

/** The package (or the workspace folder) an esbuild input belongs to, e.g. `zod` or `shared/src`. */
const packageOf = (input: string): string =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ??
  /^(?:\.\.\/)*((?:services\/[^/]+|contracts|shared)\/(?:src\/)?[^/]+)/.exec(input)?.[1] ??
  input;

/** Bytes of a bundle's output by the package of their input. */
const bytesByPackage = (metafile: Metafile | undefined): Map<string, number> => {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile?.outputs ?? {})) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return bytes;
};

/** What `real` holds above `floor`, by package, over 512 bytes, the largest first. */
const difference = (real: Map<string, number>, floor: Map<string, number>) =>
  [...real]
    .map(([name, bytes]) => [name, bytes - (floor.get(name) ?? 0)] as const)
    .filter(([, bytes]) => bytes > 512)
    .sort((a, b) => b[1] - a[1]);

interface Row {
  readonly name: string;
  readonly realBytes: number;
  readonly floorBytes: number;
  /** Each import of the real bundle, and of its floor (or what it is compared with). */
  readonly reals: readonly InitProbe[];
  readonly floors: readonly InitProbe[];
}

/** A function's real bundle and its floor, and the environment both are imported with. */
interface Pair {
  readonly name: string;
  readonly real: string;
  readonly floor: string;
  readonly environment: Record<string, string>;
}

/**
 * Init of every function's real bundle and floor, `RUNS` rounds over all the functions, each
 * round importing a function's bundle and its floor one after the other (which one first
 * alternates): a slow spell of the machine falls on a few runs of many functions, which their
 * medians leave out, not on every run of one.
 */
const measure = (pairs: readonly Pair[]): Row[] => {
  const samples = pairs.map((pair) => ({
    ...pair,
    reals: [] as InitProbe[],
    floors: [] as InitProbe[],
  }));
  for (let run = 0; run < RUNS; run += 1) {
    for (const { real, floor, environment, reals, floors } of samples) {
      const probeReal = () => reals.push(probeInit(real, environment, TIMEOUT_MS));
      const probeFloor = () => floors.push(probeInit(floor, environment, TIMEOUT_MS));
      if (run % 2 === 0) {
        probeReal();
        probeFloor();
      } else {
        probeFloor();
        probeReal();
      }
    }
  }
  return samples.map(({ name, real, floor, reals, floors }) => ({
    name,
    realBytes: sizeOf(real),
    floorBytes: sizeOf(floor),
    reals,
    floors,
  }));
};

/**
 * Prints each row's sizes and, for its imports, the median wall-clock and CPU time and the
 * fastest CPU time. The same bundle's CPU time swings between runs on a shared virtual machine
 * by a third (two clusters, each a run's luck), enough to move a median of 15 from one to the
 * other; the fastest run, the least disturbed, is the steadier measure of what the code costs.
 */
const print = (title: string, rows: readonly Row[]) => {
  console.log(`\n${title} (${load()}, median and fastest of ${RUNS})`);
  console.log(
    `${'function'.padEnd(22)}${'size real / floor (ratio)'.padEnd(30)}${'init real / floor (ratio)'.padEnd(30)}${'init CPU real / floor (ratio)'.padEnd(32)}fastest init CPU real / floor (ratio)`,
  );
  const ratio = (a: number, b: number) => `(${(a / b).toFixed(2)}x)`;
  const compare = (real: number, floor: number) =>
    `${real.toFixed(0)} / ${floor.toFixed(0)} ms ${ratio(real, floor)}`;
  const of = (probes: readonly InitProbe[], key: 'ms' | 'cpuMs') =>
    probes.map((probe) => probe[key]);
  for (const { name, realBytes, floorBytes, reals, floors } of rows) {
    const size = `${kb(realBytes)} / ${kb(floorBytes)} ${ratio(realBytes, floorBytes)}`;
    const init = compare(median(of(reals, 'ms')), median(of(floors, 'ms')));
    const cpu = compare(median(of(reals, 'cpuMs')), median(of(floors, 'cpuMs')));
    const fastest = compare(Math.min(...of(reals, 'cpuMs')), Math.min(...of(floors, 'cpuMs')));
    console.log(
      `${name.padEnd(22)}${size.padEnd(30)}${init.padEnd(30)}${cpu.padEnd(32)}${fastest}`,
    );
  }
};

const outdir = mkdtempSync(join(process.cwd(), 'cdk.out.bench-'));
try {
  const endpoint = `http://127.0.0.1:${await closedPort()}`;
  const environmentOf = (fn: FunctionBundle) => ({
    ...fn.environment,
    ...lambdaEnvironment(fn.functionName, endpoint),
  });
  console.log(`Synthesizing the service apps and the console's (${load()})`);
  const functions = synthesizeBundles(outdir).filter(
    (fn) => ONLY === undefined || ONLY.includes(fn.functionName),
  );

  const pairs: Pair[] = [];
  for (const fn of functions) {
    pairs.push({
      name: fn.functionName,
      real: fn.code,
      floor: await buildFloor(fn.clients, join(outdir, `floor-${fn.functionName}`)),
      environment: environmentOf(fn),
    });
  }
  const rows = measure(pairs);
  print('Synthesized bundles against their floors', rows);
  if (options.has('--write-budgets')) {
    const measured = Object.fromEntries(rows.map((row) => [row.name, row]));
    const kept = Object.fromEntries(
      Object.entries(readBudgets()).filter(([name]) => ONLY !== undefined && !(name in measured)),
    );
    writeBudgets(BUDGET_RATIO, measured, kept);
    console.log(
      `Budgets of ${rows.map((row) => row.name).join(', ')} written to test/bundleBudgets.json`,
    );
  }

  if (options.has('--inputs')) {
    console.log('\nWhat each bundle holds above its floor, by package (KB of minified output)');
    for (const fn of functions) {
      const dir = join(outdir, `inputs-${fn.functionName}`);
      const real = await build({
        ...functionBuildOptions(),
        entryPoints: [fn.entry],
        outfile: join(dir, 'real', 'index.mjs'),
        metafile: true,
      });
      const floor = await build({
        ...floorBuildOptions(fn.clients),
        outfile: join(dir, 'floor', 'index.mjs'),
        metafile: true,
      });
      const above = difference(bytesByPackage(real.metafile), bytesByPackage(floor.metafile));
      console.log(
        `${fn.functionName}: ${above.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ')}`,
      );
    }
  }

  if (options.has('--sdk')) {
    const modes = {
      'AWS SDK from the runtime (@aws-sdk/*, @smithy/* from node_modules)': [
        '@aws-sdk/*',
        '@smithy/*',
      ],
      'AWS SDK bundled': [],
    } satisfies Record<string, string[]>;
    for (const [title, externals] of Object.entries(modes)) {
      const modePairs: Pair[] = [];
      for (const fn of functions) {
        const dir = join(outdir, `${externals.length}-${fn.functionName}`);
        const real = join(dir, 'real', 'index.mjs');
        await build({ ...functionBuildOptions(externals), entryPoints: [fn.entry], outfile: real });
        const floor = await buildFloor(fn.clients, join(dir, 'floor'), externals);
        modePairs.push({ name: fn.functionName, real, floor, environment: environmentOf(fn) });
      }
      print(title, measure(modePairs));
    }
  }

  if (options.has('--source-maps')) {
    const mapRows: Row[] = [];
    for (const fn of functions) {
      const real = join(outdir, `mapped-${fn.functionName}`, 'index.mjs');
      await build({
        ...functionBuildOptions(),
        sourcemap: true,
        entryPoints: [fn.entry],
        outfile: real,
      });
      const environment = environmentOf(fn);
      const withMaps = { ...environment, NODE_OPTIONS: '--enable-source-maps' };
      const reals: InitProbe[] = [];
      const plains: InitProbe[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        reals.push(probeInit(real, withMaps, TIMEOUT_MS));
        plains.push(probeInit(real, environment, TIMEOUT_MS));
      }
      mapRows.push({
        name: fn.functionName,
        realBytes: sizeOf(`${real}.map`),
        floorBytes: sizeOf(real),
        reals,
        floors: plains,
      });
    }
    print('Source maps: map / code size, init with --enable-source-maps / without', mapRows);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
