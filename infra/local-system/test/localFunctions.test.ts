import { shopTopology } from '@shop/topology';
import { describe, expect, it } from 'vitest';
import {
  LOCAL_DEFAULT_CONCURRENCY,
  localFunctions,
  UnknownFunctionError,
} from '../src/localFunctions.js';
import { SHOP_SERVICES } from '../src/services.js';

const topology = shopTopology(SHOP_SERVICES);

describe('localFunctions', () => {
  it("runs every function with its stack's timeout and the local default concurrency", () => {
    const functions = localFunctions(topology);

    expect(functions.map((fn) => fn.functionName)).toEqual(
      topology.functions.map((fn) => fn.functionName),
    );
    expect(functions.find((fn) => fn.functionName === 'inventory-queries')).toEqual({
      functionName: 'inventory-queries',
      service: 'inventory',
      timeoutSeconds: 30,
      concurrency: LOCAL_DEFAULT_CONCURRENCY,
      reserved: false,
    });
  });

  it('takes one shop’s settings for a function as its own', () => {
    const functions = localFunctions(topology, {
      'inventory-queries': { timeoutSeconds: 2, concurrency: 3 },
    });

    expect(functions.find((fn) => fn.functionName === 'inventory-queries')).toMatchObject({
      timeoutSeconds: 2,
      concurrency: 3,
      reserved: true,
    });
  });

  it('refuses settings for a function the shop does not have', () => {
    expect(() => localFunctions(topology, { 'inventory-query': { concurrency: 3 } })).toThrow(
      UnknownFunctionError,
    );
  });
});
