import { clearAccessRecords } from '../src/access/accessRecords.js';

/** Vitest's global setup: a run records its calls from an empty `.access` folder. */
export const setup = (): void => clearAccessRecords();
