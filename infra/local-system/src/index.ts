export { SEED_CATALOGUE, type SeedProduct } from './catalogue.js';
export { FunctionError, invoke, type OrderResult, settledOrder } from './invoke.js';
export {
  LOCAL_ACCOUNT,
  LOCAL_ORGANIZATION,
  localPrincipals,
  OUTSIDER_PRINCIPAL,
  servicePrincipal,
} from './principals.js';
export { ServiceProcess, ServiceStartError } from './ServiceProcess.js';
export { FREE_PORTS, type Shop, type ShopPorts, type ShopProps, startShop } from './startShop.js';
export { LOCAL_USER_POOL, localPassword, SEED_USERS } from './users.js';
