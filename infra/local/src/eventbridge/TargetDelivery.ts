import { type TargetErrorCode, targetErrorOf } from './targetError.js';

/** An event as EventBridge delivers it to targets. */
export interface DeliveredEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

export interface Target {
  readonly Id: string;
  readonly Arn: string;
  readonly DeadLetterConfig?: { readonly Arn?: string };
  readonly RetryPolicy?: {
    readonly MaximumRetryAttempts?: number;
    readonly MaximumEventAgeInSeconds?: number;
  };
}

/** Sends an event to a target ARN; throws when the target cannot take it. */
export type Deliver = (
  targetArn: string,
  body: string,
  attributes?: Record<string, string>,
) => Promise<void>;

/** Which limit of the retry policy ended the retries (`EXHAUSTED_RETRY_CONDITION`). */
export type ExhaustedRetryCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

/** An event a target never took and no dead-letter queue holds: EventBridge dropped it. */
export interface DeliveryFailure {
  readonly ruleArn: string;
  readonly targetArn: string;
  readonly eventId: string;
  readonly errorCode: TargetErrorCode;
  readonly errorMessage: string;
  readonly retryAttempts: number;
  readonly exhaustedRetryCondition: ExhaustedRetryCondition;
  /** The target's dead-letter queue and why it refused the event; absent when it has none. */
  readonly deadLetterQueue?: { readonly arn: string; readonly error: unknown };
}

/**
 * Counts since start, named after EventBridge's CloudWatch metrics (namespace `AWS/Events`):
 * `FailedInvocations` are deliveries that failed for good (dead-lettered or not),
 * `InvocationsSentToDlq` those then moved to the target's dead-letter queue,
 * `InvocationsFailedToBeSentToDlq` those its dead-letter queue refused.
 */
export interface DeliveryMetrics {
  readonly Invocations: number;
  readonly RetryInvocationAttempts: number;
  readonly FailedInvocations: number;
  readonly InvocationsSentToDlq: number;
  readonly InvocationsFailedToBeSentToDlq: number;
}

export interface TargetDeliveryProps {
  readonly deliver: Deliver;
  /** A target's retries when its retry policy sets none (EventBridge's is 185). @default 2 */
  readonly defaultMaximumRetryAttempts?: number;
  /**
   * Called for each event dropped: no dead-letter queue, or one that refused it.
   * @default logs it with console.error
   */
  readonly onDeliveryFailure?: (failure: DeliveryFailure) => void;
}

const FIRST_RETRY_DELAY_MS = 50;
const LONGEST_RETRY_DELAY_MS = 2000;
const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;

const logDeliveryFailure = (failure: DeliveryFailure): void => {
  const dlq = failure.deadLetterQueue;
  console.error(
    `EventBridge dropped event ${failure.eventId} for target ${failure.targetArn} of ${failure.ruleArn}` +
      ` after ${failure.retryAttempts} retries: ${failure.errorCode} ${failure.errorMessage}; ` +
      (dlq === undefined
        ? 'the target has no dead-letter queue'
        : `its dead-letter queue ${dlq.arn} refused it too: ${targetErrorOf(dlq.error).message}`),
  );
};

/**
 * Delivers events to rule targets in the background, as EventBridge does after PutEvents answers
 * (EventBridge user guide, "Event retry policy and using dead-letter queues",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html): a retriable failure
 * (connection, time-out, throttling, the target's server error) is retried with exponential
 * back-off and jitter until the retry policy's `MaximumRetryAttempts` or
 * `MaximumEventAgeInSeconds` is reached; any other failure (missing target, missing permissions,
 * a request the target refuses) is not retried. The event then goes to the target's dead-letter
 * queue with the attributes `RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`, `ERROR_MESSAGE`,
 * `EXHAUSTED_RETRY_CONDITION` and `RETRY_ATTEMPTS`. An event no dead-letter queue holds is
 * reported to `onDeliveryFailure`, and every outcome is counted in `metrics()`.
 *
 * @example
 * ```ts
 * const delivery = new TargetDelivery({ deliver: sqsDelivery(sqs) });
 * delivery.start(rule.arn, target, event);
 * await delivery.settled();
 * delivery.metrics().InvocationsFailedToBeSentToDlq; // 0
 * ```
 */
export class TargetDelivery {
  private readonly pending = new Set<Promise<void>>();
  private readonly counts = {
    Invocations: 0,
    RetryInvocationAttempts: 0,
    FailedInvocations: 0,
    InvocationsSentToDlq: 0,
    InvocationsFailedToBeSentToDlq: 0,
  };

  constructor(private readonly props: TargetDeliveryProps) {}

  /** Starts delivering the event to one target of the rule; `settled()` waits for it. */
  start(ruleArn: string, target: Target, event: DeliveredEvent): void {
    const delivery: Promise<void> = this.deliverWithRetry(ruleArn, target, event)
      .catch((error: unknown) => {
        console.error(`EventBridge failed delivering event ${event.id} to ${target.Arn}`, error);
      })
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Resolves when every delivery started so far has finished (delivered, dead-lettered or dropped). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** The delivery counts so far. */
  metrics(): DeliveryMetrics {
    return { ...this.counts };
  }

  private async deliverWithRetry(
    ruleArn: string,
    target: Target,
    event: DeliveredEvent,
  ): Promise<void> {
    const body = JSON.stringify(event);
    const policy = target.RetryPolicy;
    const maximumRetryAttempts =
      policy?.MaximumRetryAttempts ?? this.props.defaultMaximumRetryAttempts ?? 2;
    const expires =
      Date.now() + (policy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
    this.counts.Invocations++;
    for (let retries = 0; ; retries++) {
      if (retries > 0) this.counts.RetryInvocationAttempts++;
      try {
        await this.props.deliver(target.Arn, body);
        return;
      } catch (error) {
        const failure = targetErrorOf(error);
        const delay =
          Math.random() * Math.min(LONGEST_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** retries);
        let exhausted: ExhaustedRetryCondition | undefined;
        if (!failure.retriable || retries >= maximumRetryAttempts)
          exhausted = 'MaximumRetryAttempts';
        else if (Date.now() + delay >= expires) exhausted = 'MaximumEventAgeInSeconds';
        if (exhausted !== undefined) {
          await this.deadLetter(target.DeadLetterConfig?.Arn, body, {
            ruleArn,
            targetArn: target.Arn,
            eventId: event.id,
            errorCode: failure.code,
            errorMessage: failure.message,
            retryAttempts: retries,
            exhaustedRetryCondition: exhausted,
          });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Moves an event that failed for good to the target's dead-letter queue, or reports it dropped. */
  private async deadLetter(
    dlq: string | undefined,
    body: string,
    failure: Omit<DeliveryFailure, 'deadLetterQueue'>,
  ): Promise<void> {
    this.counts.FailedInvocations++;
    const report = this.props.onDeliveryFailure ?? logDeliveryFailure;
    if (dlq === undefined) {
      report(failure);
      return;
    }
    try {
      await this.props.deliver(dlq, body, {
        RULE_ARN: failure.ruleArn,
        TARGET_ARN: failure.targetArn,
        ERROR_CODE: failure.errorCode,
        ERROR_MESSAGE: failure.errorMessage.slice(0, 256),
        EXHAUSTED_RETRY_CONDITION: failure.exhaustedRetryCondition,
        RETRY_ATTEMPTS: String(failure.retryAttempts),
      });
      this.counts.InvocationsSentToDlq++;
    } catch (error) {
      this.counts.InvocationsFailedToBeSentToDlq++;
      report({ ...failure, deadLetterQueue: { arn: dlq, error } });
    }
  }
}
