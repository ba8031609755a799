import { inventoryService } from '@shop/inventory/service';
import { orderService } from '@shop/order/service';
import { paymentService } from '@shop/payment/service';
import { shopTopology } from '@shop/topology';

/** The shop's manifests, and the topology derived from them. */
export const SHOP_SERVICES = [orderService, inventoryService, paymentService] as const;
export const topology = shopTopology(SHOP_SERVICES);
