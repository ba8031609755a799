import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_FUNCTION_NAME } from '@shop/console';
import { functionName } from '@shop/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closedPort,
  type FunctionBundle,
  lambdaEnvironment,
  probeInit,
  readBudgets,
  sizeOf,
  synthesizeBundles,
} from './bundles.js';
import { SHOP_SERVICES } from './shop.js';

/** How long one fresh process may take to import a bundle on a loaded machine. */
const INIT_TIMEOUT_MS = 60_000;
/** How long synthesizing the four apps, bundling every function, may take on a loaded machine. */
const SYNTHESIS_TIMEOUT_MS = 900_000;

const NAMES = [
  ...SHOP_SERVICES.flatMap((manifest) =>
    Object.keys(manifest.functions).map((handler) => functionName(manifest.name, handler)),
  ),
  CONSOLE_FUNCTION_NAME,
];
/** What a function ships beside its code: the console its built pages (ADR 0025). */
const SHIPPED: Readonly<Record<string, readonly string[]>> = {
  [CONSOLE_FUNCTION_NAME]: ['index.mjs', 'web'],
};
const budgets = readBudgets();

// Its own synthesis, bundling every function (the code is what is tested), into a directory of
// this package so that what a bundle leaves to the runtime resolves from the repository's
// node_modules, as it does from the runtime's in Lambda.
let outdir: string;
let functions: Map<string, FunctionBundle>;
let endpoint: string;

beforeAll(async () => {
  outdir = mkdtempSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'cdk.out.budgets-'));
  functions = new Map(synthesizeBundles(outdir).map((fn) => [fn.functionName, fn]));
  endpoint = `http://127.0.0.1:${await closedPort()}`;
}, SYNTHESIS_TIMEOUT_MS);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

const bundleOf = (name: string): FunctionBundle => {
  const fn = functions.get(name);
  if (fn === undefined) throw new Error(`${name} was not synthesized`);
  return fn;
};

describe('function bundles', () => {
  it('has a budget for every function and none for a function that is gone', () => {
    expect(Object.keys(budgets).sort()).toEqual([...NAMES].sort());
  });

  it.each(NAMES)('%s stays within its budget', (name) => {
    expect(sizeOf(bundleOf(name).code)).toBeLessThanOrEqual(budgets[name]?.maxBytes ?? 0);
  });

  it.each(NAMES)(
    '%s ships its code alone (the console its pages too), without source maps',
    (name) => {
      const fn = bundleOf(name);
      expect(readdirSync(dirname(fn.code)).sort()).toEqual(SHIPPED[name] ?? ['index.mjs']);
      expect(fn.environment['NODE_OPTIONS'] ?? '').not.toContain('--enable-source-maps');
    },
  );

  it.each(NAMES)('%s opens no connection while it initializes', (name) => {
    const fn = bundleOf(name);
    const init = probeInit(
      fn.code,
      { ...fn.environment, ...lambdaEnvironment(name, endpoint) },
      INIT_TIMEOUT_MS,
    );
    expect(init.connections).toBe(0);
  });
});
