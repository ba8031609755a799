export { receivedBy } from './receivedBy.js';
export { sequentialIds } from './sequentialIds.js';
export { settled } from './settled.js';
