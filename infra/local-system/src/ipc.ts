import type { InvokeOutcome } from '@shop/local-cloud/lambda';

/** What the shop sends a service process. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly functionName: string;
  readonly payload: unknown;
}

/** Disables or enables the service's event-source mapping, as UpdateEventSourceMapping does. */
export interface EventSourceMessage {
  readonly type: 'event-source';
  readonly id: number;
  readonly enabled: boolean;
}

/** What a service process answers. */
export type HostMessage =
  | { readonly type: 'ready'; readonly functions: readonly string[] }
  | { readonly type: 'result'; readonly id: number; readonly outcome: InvokeOutcome };

/** Stops a function's event-source mapping before its process exits (batches in flight finish). */
export interface StopMessage {
  readonly type: 'stop';
  readonly id: number;
}
