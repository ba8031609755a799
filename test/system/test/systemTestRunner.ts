import { type SerializedConfig, TestRunner } from 'vitest';
import { stopSharedShop } from './support.js';

/**
 * Vitest's runner of the system tests: the one worker runs every file in one module graph, and
 * stops the shop the files shared once it is done with all of them.
 */
export default class SystemTestRunner extends TestRunner {
  constructor(config: SerializedConfig) {
    super(config);
    this.onCleanupWorkerContext(stopSharedShop);
  }
}
