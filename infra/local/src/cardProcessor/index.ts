export type { Charge } from './CardLedger.js';
export {
  CARD_PROCESSOR_TEST_TOKENS,
  type CardProcessor,
  type CardProcessorProps,
  startCardProcessor,
} from './startCardProcessor.js';
