import type { ShopTopology } from '@shop/topology';
import type { LocalFunctionConfig } from './LocalLambda.js';

/**
 * How many invocations of one function may run at once on this machine when its manifest
 * declares no concurrency (ADR 0017).
 */
export const LOCAL_DEFAULT_CONCURRENCY = 50;

/** One function's settings for one shop, over what its manifest and topology say. */
export interface FunctionSettings {
  readonly timeoutSeconds?: number;
  readonly concurrency?: number;
}

/** Settings for a function the shop does not have. */
export class UnknownFunctionError extends Error {
  constructor(names: readonly string[]) {
    super(`The shop has no function ${names.join(', ')}`);
    this.name = 'UnknownFunctionError';
  }
}

/**
 * Every function of the shop as its Lambda runs it: the timeout its stack gives it, and its
 * declared concurrency or the local default, unless `settings` say otherwise for it.
 *
 * @throws {UnknownFunctionError} when `settings` name a function the shop does not have.
 *
 * @example
 * ```ts
 * localFunctions(topology, { 'inventory-queries': { timeoutSeconds: 2, concurrency: 2 } });
 * ```
 */
export const localFunctions = (
  topology: ShopTopology,
  settings: Readonly<Record<string, FunctionSettings>> = {},
): LocalFunctionConfig[] => {
  const unknown = Object.keys(settings).filter(
    (name) => !topology.functions.some((fn) => fn.functionName === name),
  );
  if (unknown.length > 0) throw new UnknownFunctionError(unknown);
  return topology.functions.map((fn) => {
    const own = settings[fn.functionName] ?? {};
    const declared = own.concurrency ?? fn.concurrency;
    return {
      functionName: fn.functionName,
      service: fn.service,
      timeoutSeconds: own.timeoutSeconds ?? fn.timeoutSeconds,
      concurrency: declared ?? LOCAL_DEFAULT_CONCURRENCY,
      reserved: declared !== undefined,
    };
  });
};
