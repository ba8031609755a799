export {
  newImageString,
  type RelayDeadLetter,
  type RelayFailure,
  type StreamRecord,
  StreamToBusRelay,
  type StreamToBusRelayProps,
} from './StreamToBusRelay.js';
export { sqsDeadLetter } from './sqsDeadLetter.js';
