import type * as z from 'zod/mini';

/**
 * Base class of every error raised or returned by the contracts package. `code` is stable and
 * safe to log, to put in a DLQ message attribute or to branch on.
 */
export abstract class EventContractError extends Error {
  abstract readonly code: string;
}

/**
 * The input is not an EventBridge event in the shop's envelope (not JSON, no `detail-type`,
 * missing or invalid `detail.metadata`).
 */
export class MalformedEventError extends EventContractError {
  readonly code = 'MALFORMED_EVENT';
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(message: string, issues: readonly z.core.$ZodIssue[] = []) {
    super(message);
    this.name = 'MalformedEventError';
    this.issues = issues;
  }
}

/** No subscribed event has this `detail-type` and `source`. */
export class UnknownEventError extends EventContractError {
  readonly code = 'UNKNOWN_EVENT';

  constructor(
    readonly detailType: string,
    readonly source: string,
  ) {
    super(`Unknown event: detail-type '${detailType}' from source '${source}'`);
    this.name = 'UnknownEventError';
  }
}

/** The event is known but this major version of it is not (or no longer) subscribed. */
export class UnknownEventVersionError extends EventContractError {
  readonly code = 'UNKNOWN_EVENT_VERSION';

  constructor(
    readonly detailType: string,
    readonly version: number,
    readonly knownVersions: readonly number[],
  ) {
    super(
      `Unknown version ${version} of ${detailType}; known versions: ${knownVersions.join(', ')}`,
    );
    this.name = 'UnknownEventVersionError';
  }
}

/** The envelope is fine but `detail.data` does not match the schema of its version. */
export class InvalidEventDataError extends EventContractError {
  readonly code = 'INVALID_EVENT_DATA';

  constructor(
    readonly event: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(
      `${event} data is invalid: ${issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
    );
    this.name = 'InvalidEventDataError';
  }
}
