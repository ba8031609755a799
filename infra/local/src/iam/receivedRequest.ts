import type { IncomingMessage } from 'node:http';

/**
 * A request as it arrived: method, raw path with its query string, headers (lower-case names) and
 * body. A header that arrived more than once keeps every value, in order, so a verifier can see
 * (and refuse) a second `Authorization` or `Host` that Node's `request.headers` would drop.
 */
export interface ReceivedRequest {
  readonly method: string;
  /** The request target, e.g. `/products?sku=MUG-001`. */
  readonly target: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body as received. @default empty */
  readonly body?: Uint8Array;
}

/**
 * A request's header, its repeated values joined with `,` as SigV4 canonicalizes them, or
 * undefined when it is absent.
 *
 * @example
 * ```ts
 * headerOf(request, 'x-amz-target'); // 'DynamoDB_20120810.GetItem'
 * ```
 */
export const headerOf = (request: ReceivedRequest, name: string): string | undefined => {
  const value = Object.hasOwn(request.headers, name) ? request.headers[name] : undefined;
  return typeof value === 'string' || value === undefined ? value : value.join(',');
};

/**
 * The first of `names` that arrived more than once, or undefined when each arrived at most once.
 *
 * @example
 * ```ts
 * repeatedHeader(request, ['authorization', 'host']); // 'host' for a request with two Host headers
 * ```
 */
export const repeatedHeader = (
  request: ReceivedRequest,
  names: readonly string[],
): string | undefined =>
  names.find((name) => {
    const value = Object.hasOwn(request.headers, name) ? request.headers[name] : undefined;
    return Array.isArray(value) && value.length > 1;
  });

/**
 * The `ReceivedRequest` of a Node request, built from `rawHeaders` so that repeated headers stay
 * visible, with the body already read.
 *
 * @example
 * ```ts
 * const received = receivedRequest(request, await readBody(request));
 * ```
 */
export const receivedRequest = (request: IncomingMessage, body?: Uint8Array): ReceivedRequest => {
  // Header names are the caller's: no prototype, so `__proto__` or `constructor` is just a name.
  const headers: Record<string, string | string[]> = Object.create(null);
  const raw = request.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = String(raw[index]).toLowerCase();
    const value = String(raw[index + 1]);
    const seen = headers[name];
    if (seen === undefined) headers[name] = value;
    else headers[name] = [...[seen].flat(), value];
  }
  return {
    method: request.method ?? 'GET',
    target: request.url ?? '/',
    headers,
    ...(body !== undefined && { body }),
  };
};
