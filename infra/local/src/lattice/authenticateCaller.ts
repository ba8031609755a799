import type { IncomingMessage } from 'node:http';
import { firstHeader } from '../http/firstHeader.js';
import { receivedRequest } from '../iam/receivedRequest.js';
import { verifySigV4 } from '../iam/verifySigV4.js';
import type { LatticeCaller } from './authorizeInvoke.js';

/** Local credentials and the AWS identity they stand for. */
export interface LatticePrincipal {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The role, with its path: `arn:aws:iam::<account>:role/shop/order/order-local`. */
  readonly roleArn: string;
  readonly sessionName: string;
  readonly account: string;
  readonly organizationId: string;
}

/**
 * Who the caller is, and whether its body must then match the payload hash it signed; or the 403
 * message when its signature is refused.
 */
export type Authentication =
  | { readonly ok: true; readonly caller: LatticeCaller; readonly signed: boolean }
  | { readonly ok: false; readonly message: string };

const assumedRole = (principal: LatticePrincipal): LatticeCaller => {
  const roleName = principal.roleArn.slice(principal.roleArn.lastIndexOf('/') + 1);
  return {
    type: 'AssumedRole',
    principal: `arn:aws:sts::${principal.account}:assumed-role/${roleName}/${principal.sessionName}`,
    roleArn: principal.roleArn,
    account: principal.account,
    organizationId: principal.organizationId,
  };
};

/**
 * Who calls a Lattice service, as Lattice resolves it, from the request's head alone (its body
 * not yet read): an unsigned request is anonymous; a signed one must carry a valid SigV4
 * signature (with `x-amz-content-sha256` signed) by a known key, and is the session of the role
 * that key stands for. A bad signature is refused with AWS's message, never treated as
 * anonymous. The signature is verified over the payload hash the request claims: when `signed`,
 * the body must be checked against it once read (`payloadRejection`).
 *
 * @example
 * ```ts
 * const authentication = await authenticateCaller(request, principals, {
 *   region, now: () => new Date(), host: '127.0.0.1:4050',
 * });
 * if (!authentication.ok) reply(403, authentication.message);
 * ```
 */
export const authenticateCaller = async (
  request: IncomingMessage,
  principals: ReadonlyMap<string, LatticePrincipal>,
  options: {
    readonly region: string;
    readonly now: () => Date;
    /** The listener's own `host:port`, which the signature must name. */
    readonly host: string;
  },
): Promise<Authentication> => {
  if (firstHeader(request, 'authorization') === undefined) {
    return { ok: true, caller: { type: 'Anonymous' }, signed: false };
  }
  const verdict = await verifySigV4(receivedRequest(request), {
    secretOf: (key) => principals.get(key)?.secretAccessKey,
    service: 'vpc-lattice-svcs',
    region: options.region,
    now: options.now(),
    host: options.host,
    allowUnsignedPayload: true,
    deferPayload: true,
  });
  if (!verdict.ok) return { ok: false, message: verdict.message };
  const principal = principals.get(verdict.accessKeyId);
  return {
    ok: true,
    caller: principal === undefined ? { type: 'Anonymous' } : assumedRole(principal),
    signed: true,
  };
};
