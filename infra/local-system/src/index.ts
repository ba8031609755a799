export { SEED_CATALOGUE, type SeedProduct } from './catalogue.js';
export {
  LOCAL_ACCOUNT,
  LOCAL_ORGANIZATION,
  localPrincipals,
  OUTSIDER_PRINCIPAL,
  servicePrincipal,
} from './principals.js';
export { ServiceProcess, ServiceStartError } from './ServiceProcess.js';
export {
  type ApiUrls,
  type OrderDetails,
  type RestAnswer,
  type SettledOrderOptions,
  ShopApiClient,
  SignInError,
  settledOrder,
  signedInClient,
  signIn,
  type UserPoolEndpoint,
} from './shopApi.js';
export { FREE_PORTS, type Shop, type ShopPorts, type ShopProps, startShop } from './startShop.js';
export { LOCAL_USER_POOL, LOCAL_USERS, localPassword, SEED_USERS } from './users.js';
