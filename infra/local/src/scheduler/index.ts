export {
  type LocalSchedule,
  type LocalScheduler,
  ScheduledRunError,
  type SchedulerProps,
  startScheduler,
} from './startScheduler.js';
