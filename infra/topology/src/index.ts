export {
  type LatticeServiceTopology,
  latticeServices,
  type PolicyDocument,
  type QueryRoute,
  queryInvokeStatement,
  serviceAuthPolicy,
  serviceNetworkAuthPolicy,
  serviceRolePath,
} from './lattice.js';
export {
  type ConsumerSettings,
  type ConsumerTopology,
  DEFAULT_CONSUMER_SETTINGS,
  type FunctionTopology,
  INVOKED_HANDLERS,
  type OutboxRelayTopology,
  type RestApiTopology,
  type ServiceTables,
  type ShopTopology,
  type ShopTopologyProps,
  shopTopology,
} from './shopTopology.js';
