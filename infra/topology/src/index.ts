export {
  type ConsumerSettings,
  type ConsumerTopology,
  DEFAULT_CONSUMER_SETTINGS,
  OUTBOX_ITEM,
  type OutboxRelayTopology,
  type ShopTopology,
  type ShopTopologyProps,
  shopTopology,
} from './shopTopology.js';
