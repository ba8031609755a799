import { type IncomingMessage, request, type ServerResponse } from 'node:http';

/**
 * Forwards a request unchanged (method, path, headers) to `upstream` and streams the answer back.
 * The body is the one already read when given (its length then set), else the request is piped.
 * An unreachable upstream drops the connection, as a dead endpoint would. `onAnswer` is told when
 * the upstream's answer arrives (its `performance.now()`) and its status, before it is passed on.
 *
 * @example
 * ```ts
 * createServer((req, res) => forwardRequest(new URL('http://127.0.0.1:8000'), req, res));
 * ```
 */
export const forwardRequest = (
  upstream: URL,
  incoming: IncomingMessage,
  response: ServerResponse,
  body?: Uint8Array,
  onAnswer?: (at: number, status: number) => void,
): void => {
  const headers = { ...incoming.headers };
  if (body !== undefined) {
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.length);
  }
  const forwarded = request(
    {
      hostname: upstream.hostname,
      port: upstream.port,
      path: incoming.url,
      method: incoming.method,
      headers,
    },
    (answer) => {
      onAnswer?.(performance.now(), answer.statusCode ?? 502);
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  forwarded.on('error', () => response.destroy());
  response.on('close', () => {
    if (!response.writableFinished) forwarded.destroy();
  });
  if (body === undefined) incoming.pipe(forwarded);
  else forwarded.end(body);
};
