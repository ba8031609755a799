import { defineService, GetPayment, ListProducts, TOKEN_AUTHORIZER } from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConfigError } from '../src/readConfig.js';
import { readServiceConfig } from '../src/readServiceConfig.js';

const manifest = defineService({
  name: 'order',
  description: 'orders',
  publishes: [],
  subscribes: [],
  functions: {
    api: {
      trigger: 'rest',
      description: 'API',
      access: { table: 'read-write', queries: [ListProducts, GetPayment] },
      routes: { listOwnOrders: { method: 'GET', path: '/orders', action: 'ListOwnOrders' } },
    },
    authorizer: TOKEN_AUTHORIZER,
  },
  policies: 'policies',
  configuration: {
    PAGE_SIZE: {
      description: 'Orders per page',
      schema: z.coerce.number().int().min(1).default(20),
      source: 'default',
    },
  },
});

const environment = {
  AWS_REGION: 'eu-west-1',
  TABLE_NAME: 'shop-order',
  POLICY_STORE_ID: 'store-1',
  INVENTORY_QUERIES_URL: 'https://inventory.example',
  PAYMENT_QUERIES_URL: 'https://payment.example',
};

describe('readServiceConfig', () => {
  it("reads what the manifest gives every function, and the service's own settings", () => {
    const config = readServiceConfig(manifest, { ...environment, PAGE_SIZE: '5' });

    expect(config).toMatchObject({
      region: 'eu-west-1',
      tableName: 'shop-order',
      policyStoreId: 'store-1',
      queryTimeoutMs: 2000,
      settings: { PAGE_SIZE: 5 },
    });
    expect(config.queriesUrl('inventory')).toBe('https://inventory.example');
    expect(config.queriesUrl('payment')).toBe('https://payment.example');
  });

  it('takes the defaults of settings that are not set', () => {
    expect(readServiceConfig(manifest, environment).settings.PAGE_SIZE).toBe(20);
  });

  it('names every missing or malformed variable at once', () => {
    const { TABLE_NAME: _table, ...withoutTable } = environment;

    expect(() =>
      readServiceConfig(manifest, { ...withoutTable, PAYMENT_QUERIES_URL: 'not a url' }),
    ).toThrow(ConfigError);
    expect(() =>
      readServiceConfig(manifest, { ...withoutTable, PAYMENT_QUERIES_URL: 'not a url' }),
    ).toThrow(/TABLE_NAME.*PAYMENT_QUERIES_URL|PAYMENT_QUERIES_URL.*TABLE_NAME/);
  });

  it('refuses the URL of a service it declares no query of', () => {
    const config = readServiceConfig(manifest, environment);

    expect(() => config.queriesUrl('order')).toThrow('order declares no query of order');
  });
});
