export {
  authorizerDecisionMessage,
  DECISION_LOG_STREAM,
  decisionLogWriter,
  iamDecisionMessage,
  latticeDecisionMessage,
  verifiedAccessDecisionMessage,
  verifiedPermissionsDecisionMessage,
} from './decisionLog.js';
export {
  compileFilterPattern,
  InvalidFilterPatternError,
  type MessageFilter,
} from './filterPattern.js';
export { type InputLogEvent, LogGroups, type LogGroupsProps } from './LogGroups.js';
export {
  type CloudWatchLogsServer,
  type StartCloudWatchLogsProps,
  startCloudWatchLogs,
} from './startCloudWatchLogs.js';
