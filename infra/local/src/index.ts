export type { CreatedServiceTables } from './dynamodb/createServiceTables.js';
export {
  LOCAL_CREDENTIALS,
  type LocalCloud,
  type LocalCloudProps,
  startLocalCloud,
} from './localCloud.js';
export type { OutboxRelays } from './pipes/startOutboxRelays.js';
export { PortInUseError, reservePort } from './ports.js';
export type { ProvisionedConsumer } from './provisionTopology.js';
