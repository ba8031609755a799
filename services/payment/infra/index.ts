import { fileURLToPath } from 'node:url';
import { ServiceStack } from '@shop/service-stack';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The Payment service's stack: what each of its functions may do is declared here, by the team. */
export const paymentStack = (scope: Construct, props: StackProps = {}) =>
  new ServiceStack(scope, 'ShopPayment', {
    ...props,
    service: 'payment',
    packageDir: fileURLToPath(new URL('..', import.meta.url)),
    access: {
      api: { table: ['dynamodb:GetItem'] },
      authorizer: { table: [] },
      events: { table: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
      getPayment: { table: ['dynamodb:GetItem'] },
      queries: { table: ['dynamodb:GetItem'] },
    },
    parameters: { CARD_PROCESSOR_URL: 'Base URL of the card processor API' },
  });
