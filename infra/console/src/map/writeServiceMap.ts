import { writeFileSync } from 'node:fs';
import { inventoryService } from '@shop/inventory/service';
import { orderService } from '@shop/order/service';
import { paymentService } from '@shop/payment/service';
import { shopTopology } from '@shop/topology';
import { serviceMap } from './serviceMapOf.js';

/** Writes the map the console draws, from the manifests: `npm run map:generate`. */
const manifests = [orderService, inventoryService, paymentService];
const target = new URL('./serviceMap.json', import.meta.url);
writeFileSync(
  target,
  `${JSON.stringify(serviceMap(manifests, shopTopology(manifests)), null, 2)}\n`,
);
console.log(`wrote ${target.pathname}`);
