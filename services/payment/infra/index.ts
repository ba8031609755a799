import { fileURLToPath } from 'node:url';
import { ServiceStack } from '@shop/service-stack';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { paymentService } from '#service';

/** The Payment service's stack, composed from its manifest (`service.ts`). */
export const paymentStack = (scope: Construct, props: StackProps = {}) =>
  new ServiceStack(scope, 'ShopPayment', {
    ...props,
    manifest: paymentService,
    packageDir: fileURLToPath(new URL('..', import.meta.url)),
  });
