import { fileURLToPath } from 'node:url';
import { ServiceStack } from '@shop/service-stack';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { orderService } from '#service';

/** The Order service's stack, composed from its manifest (`service.ts`). */
export const orderStack = (scope: Construct, props: StackProps = {}) =>
  new ServiceStack(scope, 'ShopOrder', {
    ...props,
    manifest: orderService,
    packageDir: fileURLToPath(new URL('..', import.meta.url)),
  });
