export { adminClients } from './adminClients.js';
export { EventLog, type ObservedEvent } from './EventLog.js';
export { observeBus } from './observeBus.js';
