import { setTimeout as wait } from 'node:timers/promises';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/** One schedule: a function invoked at a fixed rate, as the schedule's own role. */
export interface LocalSchedule {
  readonly name: string;
  /** The period of its rate expression, in seconds. */
  readonly rateSeconds: number;
  readonly functionName: string;
  /** The keys of the schedule's role: Lambda's IAM front judges every run's `Invoke`. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface SchedulerProps {
  readonly region: string;
  /** Lambda's API (its IAM front), where the runs are invoked. */
  readonly lambdaEndpoint: string;
  readonly schedules: readonly LocalSchedule[];
  /**
   * Runs every schedule this often instead of at its rate, for a test that cannot wait a minute.
   * @default each schedule's rate
   */
  readonly everySeconds?: number;
  /** A run that failed: refused by IAM, or the function's error. @default console.error */
  readonly onError?: (error: ScheduledRunError) => void;
}

export interface LocalScheduler {
  /** Stops the schedules and waits for the runs in flight. */
  stop(): Promise<void>;
}

/** One run of a schedule failed: Lambda refused the invocation, or the function failed. */
export class ScheduledRunError extends Error {
  override readonly name = 'ScheduledRunError';

  constructor(
    readonly schedule: string,
    readonly reason: string,
  ) {
    super(`[scheduler] ${schedule}: ${reason}`);
  }
}

const runOnce = async (
  lambda: LambdaClient,
  schedule: LocalSchedule,
): Promise<ScheduledRunError | undefined> => {
  try {
    const { FunctionError, Payload } = await lambda.send(
      new InvokeCommand({ FunctionName: schedule.functionName, Payload: '{}' }),
    );
    if (FunctionError === undefined) return undefined;
    return new ScheduledRunError(schedule.name, Buffer.from(Payload ?? []).toString('utf8'));
  } catch (error) {
    return new ScheduledRunError(schedule.name, String(error));
  }
};

/**
 * EventBridge Scheduler, locally: each schedule invokes its function through Lambda's API with
 * the schedule's role's keys and an empty input, as Scheduler does with the role it is given, so
 * IAM decides every run as in AWS and nothing but Lambda's API reaches the function. A run starts
 * one period after the last one ended (runs of one schedule never overlap) and is not retried;
 * the next run comes anyway.
 *
 * @example
 * ```ts
 * const scheduler = startScheduler({ region, lambdaEndpoint, schedules: [{ name, rateSeconds: 60, functionName, credentials }] });
 * await scheduler.stop();
 * ```
 */
export const startScheduler = (props: SchedulerProps): LocalScheduler => {
  const stopped = new AbortController();
  const onError = props.onError ?? ((error) => console.error(error.message));
  const loops = props.schedules.map(async (schedule) => {
    const lambda = new LambdaClient({
      region: props.region,
      endpoint: props.lambdaEndpoint,
      credentials: schedule.credentials,
      maxAttempts: 1,
    });
    const periodMs = (props.everySeconds ?? schedule.rateSeconds) * 1000;
    try {
      while (!stopped.signal.aborted) {
        await wait(periodMs, undefined, { signal: stopped.signal });
        const failure = await runOnce(lambda, schedule);
        if (failure !== undefined) onError(failure);
      }
    } catch (error) {
      if (!stopped.signal.aborted) throw error;
    } finally {
      lambda.destroy();
    }
  });
  return {
    stop: async () => {
      stopped.abort();
      await Promise.all(loops);
    },
  };
};
