export {
  CARD_PROCESSOR_TEST_TOKENS,
  type CardProcessor,
  type CardProcessorProps,
  type Charge,
  startCardProcessor,
} from './startCardProcessor.js';
