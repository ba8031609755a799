import type { IncomingMessage } from 'node:http';
import { firstHeader } from '../http/firstHeader.js';
import type { DevicePosture } from './deviceTrustProvider.js';

/** Keys that cedar-wasm's JSON format reads as an entity or extension value, not as a record. */
const ESCAPES = new Set(['__entity', '__extn', '__expr']);

/**
 * A JSON value as a Cedar value, or undefined for what Cedar has no value for (null, a number
 * that is not a 64-bit integer): strings, booleans and integers as they are, arrays as sets,
 * objects as records. A claim can never pose as an entity reference.
 */
const cedarValue = (value: unknown): unknown => {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (Array.isArray(value)) return value.map(cedarValue).filter((item) => item !== undefined);
  if (typeof value === 'object' && value !== null) return cedarRecord(value);
  return undefined;
};

const cedarRecord = (object: object): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(object)
      .filter(([key]) => !ESCAPES.has(key))
      .map(([key, value]) => [key, cedarValue(value)] as const)
      .filter(([, value]) => value !== undefined),
  );

/** What Verified Access knows of the HTTP request, as `context.http_request`. */
const httpRequest = (request: IncomingMessage, url: URL, port: number) =>
  cedarRecord({
    http_method: request.method ?? 'GET',
    hostname: (firstHeader(request, 'host') ?? '').replace(/:\d+$/, ''),
    path: url.pathname,
    query: url.search.slice(1),
    port,
    user_agent: firstHeader(request, 'user-agent'),
    x_forwarded_for: firstHeader(request, 'x-forwarded-for'),
    client_ip: request.socket.remoteAddress,
  });

/**
 * The Cedar context Verified Access evaluates a request in: each trust provider's data under its
 * policy reference name (`staff`: the ID token's claims, `cognito:groups` included; `jamf`: the
 * device's trust data, absent without a posture) and `http_request` (`http_method`, `hostname`,
 * `path`, `query`, `port`, `user_agent`, `x_forwarded_for`, `client_ip`, each when known).
 *
 * @example
 * ```ts
 * const context = accessContext(request, url, port, { staff: claims, device: posture });
 * context['jamf']; // { risk: 'LOW', osv: '15.1.0', groups: [] }
 * ```
 */
export const accessContext = (
  request: IncomingMessage,
  url: URL,
  port: number,
  trust: {
    readonly staff: Readonly<Record<string, unknown>>;
    readonly device: DevicePosture | undefined;
  },
): Record<string, unknown> => ({
  staff: cedarRecord(trust.staff),
  ...(trust.device !== undefined && { jamf: cedarRecord(trust.device.jamf) }),
  http_request: httpRequest(request, url, port),
});
