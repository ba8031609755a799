export { SEED_CATALOGUE, type SeedProduct } from './catalogue.js';
export { FunctionError, invoke } from './invoke.js';
export { ServiceProcess, ServiceStartError } from './ServiceProcess.js';
export { type Shop, type ShopPorts, type ShopProps, startShop } from './startShop.js';
