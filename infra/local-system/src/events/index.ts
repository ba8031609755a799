export { adminClients } from './adminClients.js';
export { EventLog, type ObservedEvent, SETTLING_EVENTS } from './EventLog.js';
export { type ObserveBusOptions, observeBus } from './observeBus.js';
