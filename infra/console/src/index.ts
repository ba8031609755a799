export { awsConsoleReads } from './adapters/awsConsoleReads.js';
export type { ConsoleReads, LogEvent, MapWithCounts, QueueCount } from './app/ConsoleReads.js';
export {
  mapWithCounts,
  recentDecisions,
  timelineOf,
} from './app/consoleQueries.js';
export {
  CONSOLE_FUNCTION_NAME,
  CONSOLE_ROLE_PATH,
  type ConsoleStatement,
  consoleStatements,
} from './consoleAccess.js';
export { CONSOLE_ENVIRONMENT } from './consoleEnvironment.js';
export { CONSOLE_PREFIX, type ConsoleSignIn, consoleHandler } from './consoleHandler.js';
export { type Decision, latestDecisions } from './decisions/Decision.js';
export { consumersOf, type ServiceMap } from './map/ServiceMap.js';
export { serviceMap } from './map/serviceMapOf.js';
export { SHOP_MAP } from './map/shopMap.js';
export { type OrderTimeline, orderTimeline, type TimelineStep } from './timeline/orderTimeline.js';
