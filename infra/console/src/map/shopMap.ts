import type { ServiceMap } from './ServiceMap.js';
import map from './serviceMap.json' with { type: 'json' };

/** The shop's map, generated from the manifests (`npm run map:generate`, checked by a test). */
export const SHOP_MAP: ServiceMap = map as ServiceMap;
