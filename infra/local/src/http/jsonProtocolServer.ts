import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsServiceError } from './awsErrors.js';
import { readBody } from './readBody.js';
import { requestUrl } from './requestUrl.js';

/** One operation of an AWS JSON-protocol service: input object in, output object out. */
export type Operation = (input: Readonly<Record<string, unknown>>) => unknown;

export interface JsonProtocolServerProps {
  /** The `X-Amz-Target` prefix, e.g. `AWSEvents`. */
  readonly targetPrefix: string;
  readonly operations: Readonly<Record<string, Operation>>;
  /** @default 1 MiB */
  readonly maxBodyBytes?: number;
  /** Answers a `GET` (e.g. a well-known document next to the API), or undefined for 404. */
  readonly get?: (path: string) => unknown;
  /**
   * Takes a request before the protocol does (e.g. the pages and OAuth endpoints Cognito serves
   * at a pool's domain), answering true when it answered it. @default none
   */
  readonly handle?: (request: IncomingMessage, response: ServerResponse) => boolean;
  /** Called with what an operation threw that is no AWS error (answered 500). @default console.error */
  readonly onError?: (error: unknown) => void;
}

export interface RunningServer {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

const send = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
};

const failure = (type: string, message: string) => ({ __type: type, message });

const answerGet = (props: JsonProtocolServerProps, req: IncomingMessage, res: ServerResponse) => {
  // A target no route can take (`//[`, `*`) has no document: never a URL that throws.
  const path = requestUrl(req.url)?.pathname;
  const document = path === undefined ? undefined : props.get?.(path);
  if (document === undefined) send(res, 404, failure('NotFound', `No ${req.url}`));
  else send(res, 200, document);
  req.resume();
};

const parseInput = (body: Buffer): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

const runOperation = (
  props: JsonProtocolServerProps,
  res: ServerResponse,
  operation: Operation,
  input: Record<string, unknown>,
) => {
  try {
    send(res, 200, operation(input) ?? {});
  } catch (error) {
    if (error instanceof AwsServiceError) {
      send(res, error.statusCode, failure(error.type, error.message));
    } else {
      (props.onError ?? console.error)(error);
      send(res, 500, failure('InternalException', 'Internal error.'));
    }
  }
};

const answerPost = (
  props: JsonProtocolServerProps,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer | undefined,
) => {
  if (body === undefined) {
    send(res, 413, failure('RequestEntityTooLargeException', 'Request body is too large.'));
    return;
  }
  const target = String(req.headers['x-amz-target'] ?? '');
  const [prefix, name = ''] = target.split('.');
  const operation = prefix === props.targetPrefix ? props.operations[name] : undefined;
  if (!operation) {
    send(res, 400, failure('UnknownOperationException', `Unknown operation ${target}`));
    return;
  }
  const input = parseInput(body);
  if (input === undefined) {
    send(res, 400, failure('SerializationException', 'Request body is not valid JSON.'));
    return;
  }
  runOperation(props, res, operation, input);
};

const listenOn = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

/**
 * An HTTP server that speaks the AWS JSON 1.1 protocol (`POST /`, `X-Amz-Target:
 * Prefix.Operation`, a JSON body, errors as `{ __type, message }`), so the real AWS SDK clients
 * can talk to it.
 *
 * @example
 * ```ts
 * const server = await startJsonProtocolServer(
 *   { targetPrefix: 'AWSEvents', operations: { ListEventBuses: () => ({ EventBuses: [] }) } },
 *   0,
 * );
 * new EventBridgeClient({ endpoint: server.endpoint });
 * ```
 */
export const startJsonProtocolServer = async (
  props: JsonProtocolServerProps,
  port: number,
  host = '127.0.0.1',
): Promise<RunningServer> => {
  const maxBodyBytes = props.maxBodyBytes ?? 1024 * 1024;
  const server = createServer((req, res) => {
    if (props.handle?.(req, res) === true) return;
    if (req.method === 'GET') {
      answerGet(props, req, res);
      return;
    }
    readBody(req, maxBodyBytes).then(
      (body) => answerPost(props, req, res, body),
      // The request broke off before its end: there is no one left to answer.
      () => res.destroy(),
    );
  });
  await listenOn(server, port, host);
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    endpoint: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
};
