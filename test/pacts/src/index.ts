/** Pact reports usage over the network unless told not to; the contracts here run offline. */
process.env['PACT_DO_NOT_TRACK'] ??= 'true';

export { type ConsumerPacts, consumerPacts, type WrittenPact } from './consumer.js';
export { deliveredMessage, expectedMessage } from './message.js';
export { PACTS_DIR, pactFileName, pactsOf } from './paths.js';
export {
  type EventMakers,
  type PactFile,
  type PactVerification,
  verified,
  verifyProviderPacts,
} from './provider.js';
