import { fileURLToPath } from 'node:url';
import { GetPayment, ListProducts } from '@shop/contracts';
import { ServiceStack } from '@shop/service-stack';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The Order service's stack: what each of its functions may do is declared here, by the team. */
export const orderStack = (scope: Construct, props: StackProps = {}) =>
  new ServiceStack(scope, 'ShopOrder', {
    ...props,
    service: 'order',
    packageDir: fileURLToPath(new URL('..', import.meta.url)),
    access: {
      api: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        queries: [ListProducts, GetPayment],
      },
      authorizer: { table: [] },
      events: { table: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
      placeOrder: { table: ['dynamodb:PutItem'], queries: [ListProducts] },
      getOrder: { table: ['dynamodb:GetItem'], queries: [GetPayment] },
      cancelOrder: { table: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
    },
  });
