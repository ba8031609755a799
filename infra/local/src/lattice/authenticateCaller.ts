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

/** Who the caller is, or the 403 message when its signature is refused. */
export type Authentication =
  | { readonly ok: true; readonly caller: LatticeCaller }
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
 * Who calls a Lattice service, as Lattice resolves it: an unsigned request is anonymous; a signed
 * one must carry a valid SigV4 signature (with `x-amz-content-sha256` signed) by a known key, and
 * is the session of the role that key stands for. A bad signature is refused with AWS's message,
 * never treated as anonymous.
 *
 * @example
 * ```ts
 * const authentication = await authenticateCaller(request, principals, {
 *   region, now: () => new Date(), host: '127.0.0.1:4050', body,
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
    readonly body: Uint8Array;
  },
): Promise<Authentication> => {
  if (firstHeader(request, 'authorization') === undefined) {
    return { ok: true, caller: { type: 'Anonymous' } };
  }
  const verdict = await verifySigV4(receivedRequest(request, options.body), {
    secretOf: (key) => principals.get(key)?.secretAccessKey,
    service: 'vpc-lattice-svcs',
    region: options.region,
    now: options.now(),
    host: options.host,
    allowUnsignedPayload: true,
  });
  if (!verdict.ok) return { ok: false, message: verdict.message };
  if (!verdict.signedHeaders.includes('x-amz-content-sha256')) {
    return {
      ok: false,
      message:
        "IncompleteSignatureException: Missing the 'x-amz-content-sha256' in canonical headers.",
    };
  }
  const principal = principals.get(verdict.accessKeyId);
  return {
    ok: true,
    caller: principal === undefined ? { type: 'Anonymous' } : assumedRole(principal),
  };
};
