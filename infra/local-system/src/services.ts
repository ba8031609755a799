import type { ServiceManifest, ServiceName } from '@shop/contracts';
import { inventoryService } from '@shop/inventory/service';
import { orderService } from '@shop/order/service';
import { paymentService } from '@shop/payment/service';

/** The shop: every service's manifest. */
export const SHOP_SERVICES: readonly ServiceManifest[] = [
  orderService,
  inventoryService,
  paymentService,
];

/** A service's manifest. */
export const manifestOf = (service: ServiceName): ServiceManifest => {
  const manifest = SHOP_SERVICES.find((candidate) => candidate.name === service);
  if (manifest === undefined) throw new Error(`The shop has no ${service} service`);
  return manifest;
};

export { inventoryService, orderService, paymentService };
