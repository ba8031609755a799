import type { IncomingMessage } from 'node:http';
import { firstHeader } from './firstHeader.js';

/**
 * The value of one cookie a request carries, or undefined when it carries none of that name.
 *
 * @example
 * ```ts
 * const session = requestCookie(request, 'va_session');
 * ```
 */
export const requestCookie = (request: IncomingMessage, name: string): string | undefined => {
  for (const pair of (firstHeader(request, 'cookie') ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
};
