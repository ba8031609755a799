export { awsConsoleReads } from './adapters/awsConsoleReads.js';
export type { ConsoleReads, LogEvent, MapWithCounts, QueueCount } from './app/ConsoleReads.js';
export {
  mapWithCounts,
  recentDecisions,
  timelineOf,
} from './app/consoleQueries.js';
export { CONSOLE_ENVIRONMENT } from './consoleEnvironment.js';
export { CONSOLE_PREFIX, consoleHandler } from './consoleHandler.js';
export { type Decision, latestDecisions } from './decisions/Decision.js';
export { consumersOf, type ServiceMap } from './map/ServiceMap.js';
export { serviceMap } from './map/serviceMapOf.js';
export { type OrderTimeline, orderTimeline, type TimelineStep } from './timeline/orderTimeline.js';
