import { GetStock, ListProducts } from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import {
  latticeServiceOf,
  queryInvokeStatement,
  serviceAuthPolicy,
  serviceNetworkAuthPolicy,
} from '../src/index.js';
import { inventory, order, payment } from './fixtures.js';

const SERVICE_ARN = 'arn:aws:vpc-lattice:eu-west-1:123456789012:service/svc-0123456789abcdef0';

describe('latticeServiceOf', () => {
  it('makes a service that offers queries a Lattice service with one target function', () => {
    expect(
      [inventory, payment].map((manifest) => {
        const s = latticeServiceOf(manifest);
        return [s?.service, s?.latticeServiceName, s?.functionName, s?.routes.map((r) => r.path)];
      }),
    ).toEqual([
      [
        'inventory',
        'shop-inventory',
        'inventory-queries',
        ['/products', '/products/{sku}', '/products/{sku}/stock'],
      ],
      ['payment', 'shop-payment', 'payment-queries', ['/payments/{orderId}']],
    ]);
    expect(latticeServiceOf(order)).toBeUndefined();
  });

  it('lets each caller only the routes the provider consents to', () => {
    expect(
      latticeServiceOf(inventory)?.callers.map((c) => [
        c.service,
        c.routes.map((r) => r.policyPath),
      ]),
    ).toEqual([['order', ['/products']]]);
  });
});

describe('auth policies', () => {
  const lattice = latticeServiceOf(inventory);
  if (lattice === undefined) throw new Error('no inventory Lattice service');

  it("allow a service's callers' roles GET on their declared paths, nothing else", () => {
    expect(
      serviceAuthPolicy(lattice, {
        serviceArn: SERVICE_ARN,
        roleArnPattern: (service) => `arn:aws:iam::123456789012:role/shop/${service}/*`,
      }),
    ).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'orderQueries',
          Effect: 'Allow',
          Principal: '*',
          Action: 'vpc-lattice-svcs:Invoke',
          Resource: [`${SERVICE_ARN}/products`],
          Condition: {
            ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/shop/order/*' },
            StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' },
          },
        },
      ],
    });
  });

  it('guard the network: authenticated principals of the organization only', () => {
    expect(
      serviceNetworkAuthPolicy({ organizationId: 'o-abc1234567', services: 'arn:*' }).Statement,
    ).toEqual([
      expect.objectContaining({
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': 'o-abc1234567' },
          StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' },
        },
      }),
    ]);
  });

  it('give a calling function Invoke on exactly the paths of the queries it calls', () => {
    expect(queryInvokeStatement(SERVICE_ARN, [ListProducts, GetStock])).toEqual({
      Effect: 'Allow',
      Action: 'vpc-lattice-svcs:Invoke',
      Resource: [`${SERVICE_ARN}/products`, `${SERVICE_ARN}/products/*/stock`],
      Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' } },
    });
  });
});
