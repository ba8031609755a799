import { fileURLToPath } from 'node:url';
import { ServiceStack } from '@shop/service-stack';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { inventoryService } from '#service';

/** The Inventory service's stack, composed from its manifest (`service.ts`). */
export const inventoryStack = (scope: Construct, props: StackProps = {}) =>
  new ServiceStack(scope, 'ShopInventory', {
    ...props,
    manifest: inventoryService,
    packageDir: fileURLToPath(new URL('..', import.meta.url)),
  });
