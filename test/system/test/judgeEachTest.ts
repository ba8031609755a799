import { judgeEachTest } from './accessRecorder.js';

/** Vitest's setup file, run before each test file: its tests fail on calls denied unasked. */
judgeEachTest();
