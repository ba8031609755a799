import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { AwsServiceError } from '../http/awsErrors.js';
import type { RunningServer } from '../http/jsonProtocolServer.js';
import { listen } from '../http/listen.js';
import { MAX_PAYLOAD_BYTES, readInvocation } from './readInvocation.js';

/** Why Lambda refused to run an invocation: the `Reason` of its `TooManyRequestsException`. */
export type ThrottleReason =
  /** The account's (locally: the function's default) concurrency is in use. */
  | 'ConcurrentInvocationLimitExceeded'
  /** The function's reserved concurrency is in use. */
  | 'ReservedFunctionConcurrentInvocationLimitExceeded';

/** What became of one invocation, as the code hosting the function reports it. */
export type InvokeOutcome =
  | { readonly kind: 'result'; readonly payload: unknown }
  | {
      readonly kind: 'error';
      readonly errorType: string;
      readonly errorMessage: string;
      readonly trace?: readonly string[];
    }
  | { readonly kind: 'unknown-function' }
  /** Refused before it ran: no concurrency left. */
  | { readonly kind: 'throttled'; readonly reason: ThrottleReason };

/** Runs the named function with the event; how it reaches the function is the caller's business. */
export type InvokeFunction = (functionName: string, payload: unknown) => Promise<InvokeOutcome>;

export interface StartLambdaEndpointProps {
  /** 0 asks the OS for a free port. */
  readonly port: number;
  readonly region: string;
  readonly account: string;
  readonly invoke: InvokeFunction;
  /**
   * Whether a function exists, asked before anything runs so that `Event` and `DryRun` answer
   * ResourceNotFoundException as Lambda does. Without it only `invoke` can tell, and only
   * `RequestResponse` reports the answer to the caller.
   */
  readonly functionExists?: (functionName: string) => boolean | Promise<boolean>;
  /** Called when an `Event` invocation fails or `invoke` rejects. @default console.error */
  readonly onError?: (error: unknown) => void;
}

/** A function invoked with `Event` failed; handed to `onError`, since nobody waits for it. */
export class AsyncInvocationError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: readonly string[] = [],
  ) {
    super(`${functionName} failed: ${errorType}: ${errorMessage}`);
    this.name = 'AsyncInvocationError';
  }
}

/** Lambda's error shapes name the message member `Message` for some exceptions, `message` for the rest. */
const CAPITALISED_MESSAGE = new Set(['ResourceNotFoundException', 'ResourceNotReadyException']);

/** Lambda's answer to an invocation beyond the concurrency it may use. */
class TooManyRequestsError extends AwsServiceError {
  constructor(readonly reason: ThrottleReason) {
    super('TooManyRequestsException', 'Rate Exceeded.', 429);
  }
}

const send = (
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders = {},
  body?: string,
): void => {
  res.writeHead(status, {
    'x-amzn-RequestId': randomUUID(),
    ...(body === undefined
      ? { 'content-length': 0 }
      : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
    ...headers,
  });
  res.end(body);
};

const sendError = (res: ServerResponse, error: AwsServiceError): void =>
  send(
    res,
    error.statusCode,
    { 'x-amzn-ErrorType': error.type },
    JSON.stringify({
      Type: error.statusCode >= 500 ? 'Service' : 'User',
      [CAPITALISED_MESSAGE.has(error.type) ? 'Message' : 'message']: error.message,
      ...(error instanceof TooManyRequestsError && { Reason: error.reason }),
    }),
  );

const functionError = (errorType: string, errorMessage: string, trace: readonly string[]) =>
  JSON.stringify({ errorType, errorMessage, trace });

const EXECUTED = { 'X-Amz-Executed-Version': '$LATEST' };
const UNHANDLED = { ...EXECUTED, 'X-Amz-Function-Error': 'Unhandled' };

/** Answers a `RequestResponse` invocation with what the function returned or threw. */
const sendOutcome = (
  res: ServerResponse,
  outcome: Exclude<InvokeOutcome, { kind: 'unknown-function' | 'throttled' }>,
): void => {
  if (outcome.kind === 'error') {
    send(
      res,
      200,
      UNHANDLED,
      functionError(outcome.errorType, outcome.errorMessage, outcome.trace ?? []),
    );
    return;
  }
  const result = JSON.stringify(outcome.payload ?? null);
  if (Buffer.byteLength(result) > MAX_PAYLOAD_BYTES) {
    send(
      res,
      200,
      UNHANDLED,
      functionError(
        'Function.ResponseSizeTooLarge',
        `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`,
        [],
      ),
    );
    return;
  }
  send(res, 200, EXECUTED, result);
};

interface Endpoint {
  readonly props: StartLambdaEndpointProps;
  readonly onError: (error: unknown) => void;
  /** The `Event` invocations still running. */
  readonly background: Set<Promise<void>>;
}

const notFound = (props: StartLambdaEndpointProps, name: string) =>
  new AwsServiceError(
    'ResourceNotFoundException',
    `Function not found: arn:aws:lambda:${props.region}:${props.account}:function:${name}`,
    404,
  );

const runInBackground = (endpoint: Endpoint, name: string, payload: unknown): void => {
  const { props, onError, background } = endpoint;
  const run = (async () => {
    const outcome = await props.invoke(name, payload);
    if (outcome.kind === 'error') {
      onError(
        new AsyncInvocationError(name, outcome.errorType, outcome.errorMessage, outcome.trace),
      );
    } else if (outcome.kind === 'unknown-function') {
      onError(notFound(props, name));
    } else if (outcome.kind === 'throttled') {
      onError(new TooManyRequestsError(outcome.reason));
    }
  })()
    .catch(onError)
    .finally(() => background.delete(run));
  background.add(run);
};

const respond = async (
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> => {
  const { props } = endpoint;
  const { functionName, invocationType, payload } = await readInvocation(req);
  if (props.functionExists && !(await props.functionExists(functionName))) {
    throw notFound(props, functionName);
  }
  if (invocationType === 'DryRun') {
    send(res, 204);
    return;
  }
  if (invocationType === 'Event') {
    send(res, 202);
    runInBackground(endpoint, functionName, payload);
    return;
  }
  const outcome = await props.invoke(functionName, payload);
  if (outcome.kind === 'unknown-function') throw notFound(props, functionName);
  if (outcome.kind === 'throttled') throw new TooManyRequestsError(outcome.reason);
  sendOutcome(res, outcome);
};

const sendFailure = (endpoint: Endpoint, res: ServerResponse, error: unknown): void => {
  if (res.headersSent) {
    endpoint.onError(error);
  } else if (error instanceof AwsServiceError) {
    sendError(res, error);
  } else {
    endpoint.onError(error);
    sendError(res, new AwsServiceError('ServiceException', 'Internal error.', 500));
  }
};

/**
 * Starts a local endpoint for the Lambda `Invoke` API (REST-JSON, `POST
 * /2015-03-31/functions/{FunctionName}/invocations`), so the real `LambdaClient` and the AWS CLI
 * (through `AWS_ENDPOINT_URL_LAMBDA=<endpoint>`) invoke functions hosted here. The endpoint speaks
 * the protocol: invocation types, function errors, Lambda's error shapes and payload limit; `invoke`
 * decides what runs. Every qualifier runs the one local version, reported as `$LATEST`.
 *
 * @example
 * ```ts
 * const endpoint = await startLambdaEndpoint({
 *   port: 0,
 *   region,
 *   account,
 *   invoke: async (name, event) => ({ kind: 'result', payload: await handlers[name](event) }),
 * });
 * const lambda = new LambdaClient({ region, endpoint: endpoint.endpoint });
 * await lambda.send(new InvokeCommand({ FunctionName: 'order-api', Payload: '{"id":"o-1"}' }));
 * await endpoint.close();
 * ```
 */
export const startLambdaEndpoint = async (
  props: StartLambdaEndpointProps,
): Promise<RunningServer> => {
  const endpoint: Endpoint = {
    props,
    onError: props.onError ?? ((error: unknown) => console.error(error)),
    background: new Set(),
  };
  const server = createServer((req, res) => {
    respond(endpoint, req, res).catch((error: unknown) => sendFailure(endpoint, res, error));
  });
  const port = await listen(server, props.port);
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await Promise.allSettled([...endpoint.background]);
    },
  };
};
