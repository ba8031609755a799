import { type RunningServer, startJsonProtocolServer } from '../http/jsonProtocolServer.js';
import {
  type InputLogEvent,
  invalidParameter,
  LogGroups,
  type LogGroupsProps,
} from './LogGroups.js';

export interface CloudWatchLogsServer extends RunningServer {
  /** The log groups behind the endpoint: the local cloud's own writers put events here directly. */
  readonly logGroups: LogGroups;
}

export interface StartCloudWatchLogsProps extends LogGroupsProps {
  /** 0 asks the OS for a free port. */
  readonly port: number;
  /** The log groups to serve, when their writers were made before the endpoint. @default new ones */
  readonly logGroups?: LogGroups;
}

type Input = Readonly<Record<string, unknown>>;

const string = (input: Input, key: string): string | undefined => {
  const value = input[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParameter(`${key} must be a string`);
  return value;
};

const required = (input: Input, key: string): string => {
  const value = string(input, key);
  if (value === undefined || value === '') {
    throw invalidParameter(
      `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

const integer = (input: Input, key: string, min: number, max: number): number | undefined => {
  const value = input[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(
      `1 validation error detected: Value '${String(value)}' at '${key}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
  return value;
};

/** The group an operation names: `logGroupName`, or `logGroupIdentifier` (a name or an ARN). */
const groupOf = (input: Input): string => {
  const name = string(input, 'logGroupName');
  const identifier = string(input, 'logGroupIdentifier');
  if (name !== undefined && identifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  const given = name ?? identifier;
  if (given === undefined || given === '') return required(input, 'logGroupName');
  const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(given);
  return arn?.[1] ?? given;
};

const encodeToken = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

const decodeToken = (token: string): unknown => {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidParameter('The specified nextToken is invalid.');
  }
};

const logEventsOf = (input: Input): InputLogEvent[] => {
  const events = input['logEvents'];
  if (!Array.isArray(events)) return [];
  return events.map((event: unknown) => {
    const { timestamp, message } = (event ?? {}) as Record<string, unknown>;
    if (typeof timestamp !== 'number' || typeof message !== 'string' || message === '') {
      throw invalidParameter('Each log event needs a timestamp and a non-empty message');
    }
    return { timestamp, message };
  });
};

const describeLogGroups = (groups: LogGroups, input: Input) => {
  const limit = integer(input, 'limit', 1, 50) ?? 50;
  const token = string(input, 'nextToken');
  const start = token === undefined ? 0 : Number(decodeToken(token));
  if (!Number.isInteger(start) || start < 0) {
    throw invalidParameter('The specified nextToken is invalid.');
  }
  const all = groups.describe(string(input, 'logGroupNamePrefix') ?? '');
  const logGroups = all.slice(start, start + limit);
  return {
    logGroups,
    ...(start + limit < all.length && { nextToken: encodeToken(start + limit) }),
  };
};

const filterLogEvents = (groups: LogGroups, input: Input) => {
  const logGroupName = groupOf(input);
  const names = input['logStreamNames'];
  const prefix = string(input, 'logStreamNamePrefix');
  if (names !== undefined && prefix !== undefined) {
    throw invalidParameter('You cannot specify both LogStreamNames and LogStreamNamePrefix');
  }
  if (names !== undefined && (!Array.isArray(names) || names.length < 1 || names.length > 100)) {
    throw invalidParameter('logStreamNames must name 1 to 100 log streams');
  }
  const token = string(input, 'nextToken');
  const after = token === undefined ? undefined : decodeToken(token);
  if (
    after !== undefined &&
    !(Array.isArray(after) && after.length === 2 && after.every(Number.isFinite))
  ) {
    throw invalidParameter('The specified nextToken is invalid.');
  }
  const startTime = integer(input, 'startTime', 0, Number.MAX_SAFE_INTEGER);
  const endTime = integer(input, 'endTime', 0, Number.MAX_SAFE_INTEGER);
  const filterPattern = string(input, 'filterPattern');
  const { events, more } = groups.filter(logGroupName, {
    ...(names !== undefined && { logStreamNames: (names as unknown[]).map(String) }),
    ...(prefix !== undefined && { logStreamNamePrefix: prefix }),
    ...(startTime !== undefined && { startTime }),
    ...(endTime !== undefined && { endTime }),
    ...(filterPattern !== undefined && { filterPattern }),
    ...(after !== undefined && { after: after as [number, number] }),
    limit: integer(input, 'limit', 1, 10_000) ?? 10_000,
  });
  const last = events.at(-1);
  return {
    events: events.map((event) => ({
      logStreamName: event.logStreamName,
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
      eventId: `${event.timestamp}${String(event.sequence).padStart(20, '0')}`,
    })),
    searchedLogStreams: [],
    ...(more && last !== undefined && { nextToken: encodeToken([last.timestamp, last.sequence]) }),
  };
};

/** GetLogEvents' tokens: `f/<index>` reads forward from an index, `b/<index>` back from it. */
const getLogEvents = (groups: LogGroups, input: Input) => {
  const startTime = integer(input, 'startTime', 0, Number.MAX_SAFE_INTEGER);
  const endTime = integer(input, 'endTime', 0, Number.MAX_SAFE_INTEGER);
  const events = groups.streamEvents(groupOf(input), required(input, 'logStreamName'), {
    ...(startTime !== undefined && { startTime }),
    ...(endTime !== undefined && { endTime }),
  });
  const limit = integer(input, 'limit', 1, 10_000) ?? 10_000;
  const token = string(input, 'nextToken');
  const forward = token === undefined ? input['startFromHead'] === true : token.startsWith('f/');
  const at = token === undefined ? (forward ? 0 : events.length) : Number(token.slice(2));
  if (
    !Number.isInteger(at) ||
    at < 0 ||
    at > events.length ||
    (token !== undefined && !/^[fb]\//.test(token))
  ) {
    throw invalidParameter('The specified nextToken is invalid.');
  }
  const [from, to] = forward
    ? [at, Math.min(events.length, at + limit)]
    : [Math.max(0, at - limit), at];
  return {
    events: events.slice(from, to).map((event) => ({
      timestamp: event.timestamp,
      message: event.message,
      ingestionTime: event.ingestionTime,
    })),
    nextForwardToken: `f/${to}`,
    nextBackwardToken: `b/${from}`,
  };
};

/**
 * Starts a local Amazon CloudWatch Logs endpoint (AWS JSON 1.1, `X-Amz-Target:
 * Logs_20140328.<Operation>`), for the real `@aws-sdk/client-cloudwatch-logs` through
 * `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`: CreateLogGroup, DescribeLogGroups, PutRetentionPolicy,
 * CreateLogStream, PutLogEvents, FilterLogEvents (filter patterns as `compileFilterPattern`
 * reads them) and GetLogEvents, with CloudWatch Logs' errors (ResourceNotFoundException,
 * ResourceAlreadyExistsException, InvalidParameterException). Events live in memory, a bounded
 * number per group (see `LogGroups`).
 *
 * @example
 * ```ts
 * const logs = await startCloudWatchLogs({ port: 0, region, account });
 * new CloudWatchLogsClient({ endpoint: logs.endpoint });
 * ```
 */
export const startCloudWatchLogs = async (
  props: StartCloudWatchLogsProps,
): Promise<CloudWatchLogsServer> => {
  const groups = props.logGroups ?? new LogGroups(props);
  const server = await startJsonProtocolServer(
    {
      targetPrefix: 'Logs_20140328',
      // A 1 MiB batch however its JSON is escaped.
      maxBodyBytes: 8 * 1024 * 1024,
      operations: {
        CreateLogGroup: (input) => groups.createLogGroup(required(input, 'logGroupName')),
        PutRetentionPolicy: (input) =>
          groups.setRetention(
            required(input, 'logGroupName'),
            integer(input, 'retentionInDays', 1, 3653) ?? 0,
          ),
        DescribeLogGroups: (input) => describeLogGroups(groups, input),
        CreateLogStream: (input) =>
          groups.createLogStream(required(input, 'logGroupName'), required(input, 'logStreamName')),
        PutLogEvents: (input) =>
          groups.put(
            required(input, 'logGroupName'),
            required(input, 'logStreamName'),
            logEventsOf(input),
          ),
        FilterLogEvents: (input) => filterLogEvents(groups, input),
        GetLogEvents: (input) => getLogEvents(groups, input),
      },
    },
    props.port,
  );
  return { ...server, logGroups: groups };
};
