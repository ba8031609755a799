export {
  newImageString,
  type RelayDeadLetter,
  type StreamRecord,
  StreamToBusRelay,
  type StreamToBusRelayProps,
} from './StreamToBusRelay.js';
