/** The console function's entry point, for Lambda and the local shop. */
export { handler } from './console.js';
