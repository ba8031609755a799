import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Assumptions,
  AssumptionsSchema,
  type Measured,
  MeasuredSchema,
  type PriceTable,
  PriceTableSchema,
} from './schemas.js';

/** The repository root, found from this file's location. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const COST_DOCUMENT_PATH = 'docs/cost.md';
export const PRICES_PATH = 'docs/cost/prices.eu-west-1.json';
export const MEASURED_PATH = 'docs/cost/measured.json';
export const ASSUMPTIONS_PATH = 'docs/cost/assumptions.json';

/** The committed inputs of the cost model. */
export interface CostInputs {
  readonly prices: PriceTable;
  readonly measured: Measured;
  readonly assumptions: Assumptions;
}

const json = (root: string, path: string): unknown =>
  JSON.parse(readFileSync(join(root, path), 'utf8'));

/**
 * Reads and checks the committed price table, measurements and assumptions.
 *
 * @example
 * ```ts
 * const { prices, measured, assumptions } = readInputs();
 * ```
 */
export const readInputs = (root = repoRoot): CostInputs => ({
  prices: PriceTableSchema.parse(json(root, PRICES_PATH)),
  measured: MeasuredSchema.parse(json(root, MEASURED_PATH)),
  assumptions: AssumptionsSchema.parse(json(root, ASSUMPTIONS_PATH)),
});
