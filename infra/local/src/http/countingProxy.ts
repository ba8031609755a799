import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './forwardRequest.js';

/** A reverse proxy that counts the AWS API calls passing through it. */
export interface CountingProxy {
  readonly endpoint: string;
  /** Calls so far, keyed `<caller access key> <operation>`, e.g. `localorder TransactWriteItems`. */
  counts(): ReadonlyMap<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const CREDENTIAL = /Credential=([^/,\s]+)\//;

/**
 * Starts a proxy in front of an AWS JSON-protocol endpoint (DynamoDB, SQS, EventBridge) that
 * forwards every request unchanged and counts it by caller (the access key id in the SigV4
 * `Authorization` header) and operation (the `X-Amz-Target` header): the calls are counted on
 * the wire, not estimated.
 *
 * @example
 * ```ts
 * const proxy = await startCountingProxy(dynamodb.endpoint);
 * // point clients at proxy.endpoint, run a workload, then:
 * proxy.counts().get('localorder GetItem');
 * ```
 */
export const startCountingProxy = async (target: string): Promise<CountingProxy> => {
  const upstream = new URL(target);
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? 'unknown')
      .split('.')
      .at(-1);
    const caller = CREDENTIAL.exec(String(req.headers.authorization ?? ''))?.[1] ?? 'anonymous';
    const key = `${caller} ${operation}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    forwardRequest(upstream, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: () => new Map(counts),
    reset: () => counts.clear(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
