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
  readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number };
}

/** Sends an event to a target ARN; throws when the target cannot take it. */
export type Deliver = (
  targetArn: string,
  body: string,
  attributes?: Record<string, string>,
) => Promise<void>;

export interface TargetDeliveryProps {
  readonly deliver: Deliver;
  /** @default 2 */
  readonly defaultMaximumRetryAttempts?: number;
}

/**
 * Delivers events to rule targets in the background, as EventBridge does after PutEvents
 * answers: each target is tried once and then retried up to its retry policy's
 * `MaximumRetryAttempts`; an event it never takes goes to the target's dead-letter queue, with
 * the rule, the target and the last error as message attributes.
 *
 * @example
 * ```ts
 * const delivery = new TargetDelivery({ deliver: sqsDelivery(sqs) });
 * delivery.start(rule.arn, target, event);
 * await delivery.settled();
 * ```
 */
export class TargetDelivery {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly props: TargetDeliveryProps) {}

  /** Starts delivering the event to one target of the rule; `settled()` waits for it. */
  start(ruleArn: string, target: Target, event: DeliveredEvent): void {
    const delivery = this.deliverWithRetry(ruleArn, target, event);
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  /** Resolves when every delivery started so far has finished (delivered or dead-lettered). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async deliverWithRetry(
    ruleArn: string,
    target: Target,
    event: DeliveredEvent,
  ): Promise<void> {
    const body = JSON.stringify(event);
    const attempts =
      1 + (target.RetryPolicy?.MaximumRetryAttempts ?? this.props.defaultMaximumRetryAttempts ?? 2);
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await this.props.deliver(target.Arn, body);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    const dlq = target.DeadLetterConfig?.Arn;
    if (dlq === undefined) return;
    const error = lastError instanceof Error ? lastError : new Error(String(lastError));
    await this.props
      .deliver(dlq, body, {
        RULE_ARN: ruleArn,
        TARGET_ARN: target.Arn,
        ERROR_CODE: error.name,
        ERROR_MESSAGE: error.message.slice(0, 256),
      })
      .catch(() => undefined);
  }
}
