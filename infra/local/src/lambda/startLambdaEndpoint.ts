import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsServiceError } from '../http/awsErrors.js';
import type { RunningServer } from '../http/jsonProtocolServer.js';

/** What became of one invocation, as the code hosting the function reports it. */
export type InvokeOutcome =
  | { readonly kind: 'result'; readonly payload: unknown }
  | {
      readonly kind: 'error';
      readonly errorType: string;
      readonly errorMessage: string;
      readonly trace?: readonly string[];
    }
  | { readonly kind: 'unknown-function' };

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

/** Lambda's limit on a synchronous invocation's request and response payloads. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** The API reference's FunctionName pattern: a name, a partial ARN or a full ARN, each with an optional qualifier. */
const FUNCTION_NAME =
  /^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:(?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d:)?(?:\d{12}:)?(?:function:)?([a-zA-Z0-9._-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;
type InvocationType = (typeof INVOCATION_TYPES)[number];

const isInvocationType = (value: string): value is InvocationType =>
  (INVOCATION_TYPES as readonly string[]).includes(value);

/** Lambda's error shapes name the message member `Message` for some exceptions, `message` for the rest. */
const CAPITALISED_MESSAGE = new Set(['ResourceNotFoundException', 'ResourceNotReadyException']);

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
    }),
  );

/** The request body, or `undefined` when it is larger than `limit` (read to the end all the same). */
const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });

const functionNameOf = (segment: string, qualifier: string | null): string => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    decoded = segment;
  }
  const match = FUNCTION_NAME.exec(decoded);
  const name = match?.[1];
  if (name === undefined) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value '${decoded}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${FUNCTION_NAME.source}`,
    );
  }
  const derived = match?.[2];
  if (derived !== undefined && qualifier !== null && derived !== qualifier) {
    throw new AwsServiceError(
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  return name;
};

const parsePayload = (body: Buffer): unknown => {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AwsServiceError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

const functionError = (errorType: string, errorMessage: string, trace: readonly string[]) =>
  JSON.stringify({ errorType, errorMessage, trace });

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
  const onError = props.onError ?? ((error: unknown) => console.error(error));
  const background = new Set<Promise<void>>();

  const notFound = (name: string) =>
    new AwsServiceError(
      'ResourceNotFoundException',
      `Function not found: arn:aws:lambda:${props.region}:${props.account}:function:${name}`,
      404,
    );

  const runInBackground = (name: string, payload: unknown): void => {
    const run = (async () => {
      const outcome = await props.invoke(name, payload);
      if (outcome.kind === 'error') {
        onError(
          new AsyncInvocationError(name, outcome.errorType, outcome.errorMessage, outcome.trace),
        );
      } else if (outcome.kind === 'unknown-function') {
        onError(notFound(name));
      }
    })()
      .catch(onError)
      .finally(() => background.delete(run));
    background.add(run);
  };

  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = INVOKE_PATH.exec(url.pathname);
    const segment = route?.[1];
    if (req.method !== 'POST' || segment === undefined) {
      req.resume();
      throw new AwsServiceError(
        'UnknownOperationException',
        `Unknown operation ${req.method ?? ''} ${url.pathname}`,
        404,
      );
    }
    const body = await readBody(req, MAX_PAYLOAD_BYTES);
    if (body === undefined) {
      throw new AwsServiceError(
        'RequestTooLargeException',
        `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
        413,
      );
    }
    const name = functionNameOf(segment, url.searchParams.get('Qualifier'));
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (!isInvocationType(invocationType)) {
      throw new AwsServiceError(
        'InvalidParameterValueException',
        `Unsupported invocation type ${invocationType}; use RequestResponse, Event or DryRun.`,
      );
    }
    const payload = parsePayload(body);
    if (props.functionExists && !(await props.functionExists(name))) throw notFound(name);

    if (invocationType === 'DryRun') {
      send(res, 204);
      return;
    }
    if (invocationType === 'Event') {
      send(res, 202);
      runInBackground(name, payload);
      return;
    }
    const outcome = await props.invoke(name, payload);
    if (outcome.kind === 'unknown-function') throw notFound(name);
    const executed = { 'X-Amz-Executed-Version': '$LATEST' };
    const unhandled = { ...executed, 'X-Amz-Function-Error': 'Unhandled' };
    if (outcome.kind === 'error') {
      send(
        res,
        200,
        unhandled,
        functionError(outcome.errorType, outcome.errorMessage, outcome.trace ?? []),
      );
      return;
    }
    const result = JSON.stringify(outcome.payload ?? null);
    if (Buffer.byteLength(result) > MAX_PAYLOAD_BYTES) {
      send(
        res,
        200,
        unhandled,
        functionError(
          'Function.ResponseSizeTooLarge',
          `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).`,
          [],
        ),
      );
      return;
    }
    send(res, 200, executed, result);
  };

  const server = createServer((req, res) => {
    respond(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        onError(error);
      } else if (error instanceof AwsServiceError) {
        sendError(res, error);
      } else {
        onError(error);
        sendError(res, new AwsServiceError('ServiceException', 'Internal error.', 500));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(props.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await Promise.allSettled([...background]);
    },
  };
};
