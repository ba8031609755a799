import type { IncomingMessage } from 'node:http';

/**
 * The first value of a request header (lower-case name), or undefined when it is absent.
 *
 * @example
 * ```ts
 * firstHeader(request, 'user-agent') ?? null;
 * ```
 */
export const firstHeader = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
