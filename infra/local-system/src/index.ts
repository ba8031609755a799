export { SEED_CATALOGUE, type SeedProduct } from './catalogue.js';
export { adminClients, EventLog, type ObservedEvent, observeBus } from './events/index.js';
export { type ShopIam, shopIam } from './iamEnforcement.js';
export type { FunctionStats, LambdaEvent, LambdaRuntime } from './LocalLambda.js';
export { type LocalAccess, localAccess } from './localAccess.js';
export { type FunctionSettings, LOCAL_DEFAULT_CONCURRENCY } from './localFunctions.js';
export {
  LOCAL_ACCOUNT,
  LOCAL_ADMIN_POLICY,
  LOCAL_ADMIN_ROLE,
  LOCAL_ORGANIZATION,
  latticePrincipalOf,
  localCredentials,
  localPrincipals,
  OUTSIDER_PRINCIPAL,
} from './principals.js';
export { type FailedInvocation, ServiceProcess, ServiceStartError } from './ServiceProcess.js';
export { type ServiceEvent, type ShopService, SupervisedService } from './SupervisedService.js';
export { SHOP_SERVICES } from './services.js';
export {
  type ApiUrls,
  NoEntryError,
  type OrderDetails,
  type RestAnswer,
  type SettledOrderOptions,
  ShopApiClient,
  SignInError,
  type StaffEntry,
  settledOrder,
  signedInClient,
  signIn,
  type UserPoolEndpoint,
} from './shopApi.js';
export { FREE_PORTS, type Shop, type ShopPorts, type ShopProps, startShop } from './startShop.js';
export {
  LOCAL_USER_POOLS,
  LOCAL_USERS,
  type LocalPoolName,
  localPassword,
  localUserPoolId,
  newStaffSecrets,
  poolOf,
  SEED_USERS,
  seedPools,
  type TotpSecrets,
} from './users.js';
