import { fileURLToPath } from 'node:url';
import { ServiceStack } from '@shop/service-stack';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The Inventory service's stack: what each of its functions may do is declared here, by the team. */
export const inventoryStack = (scope: Construct, props: StackProps = {}) =>
  new ServiceStack(scope, 'ShopInventory', {
    ...props,
    service: 'inventory',
    packageDir: fileURLToPath(new URL('..', import.meta.url)),
    access: {
      api: { table: ['dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'] },
      authorizer: { table: [] },
      events: {
        table: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
      },
      putProduct: { table: ['dynamodb:UpdateItem'] },
      getProduct: { table: ['dynamodb:BatchGetItem'] },
      queries: { table: ['dynamodb:BatchGetItem', 'dynamodb:Query'] },
    },
  });
