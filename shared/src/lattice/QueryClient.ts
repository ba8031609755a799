import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { type AnyQueryDefinition, type QueryString, queryPath } from '@shop/contracts';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import * as z from 'zod/mini';
import { QueryDeniedError, QueryRejectedError, QueryUnavailableError } from '../errors.js';
import { retry } from '../retry.js';

export interface QueryClientProps {
  /** The Lattice service's URL, e.g. `https://shop-inventory-0a1b2c.7d67968.vpc-lattice-svcs.eu-west-1.on.aws`. */
  readonly baseUrl: string;
  readonly region: string;
  /** @default the Node credential chain (the function's role in Lambda) */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The budget of one query, retries included. @default 2000 */
  readonly timeoutMs?: number;
  /** The budget of one attempt. @default 40% of `timeoutMs` (800 ms of 2 s) */
  readonly attemptTimeoutMs?: number;
  /** @default 3 */
  readonly attempts?: number;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * Calls another service's queries through VPC Lattice, signed with SigV4 by the caller's own
 * credentials (service `vpc-lattice-svcs`, `x-amz-content-sha256: UNSIGNED-PAYLOAD`: Lattice
 * signs no payloads). Every query is an idempotent GET, so timeouts, throttling and 5xx answers
 * are retried with jittered back-off inside one time budget. Answers are parsed with the query's
 * contract; 404 is `undefined`. Failures are typed: {@link QueryUnavailableError},
 * {@link QueryDeniedError}, {@link QueryRejectedError}.
 *
 * @example
 * ```ts
 * const inventory = new QueryClient({ baseUrl: config.INVENTORY_QUERIES_URL, region });
 * const stock = await inventory.get(GetStock, { sku: 'MUG-001' });
 * ```
 */
export class QueryClient {
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly timeoutMs: number;
  private readonly attemptTimeoutMs: number;
  private readonly attempts: number;

  constructor(props: QueryClientProps) {
    this.url = new URL(props.baseUrl);
    this.signer = new SignatureV4({
      service: 'vpc-lattice-svcs',
      region: props.region,
      credentials: props.credentials ?? defaultProvider(),
      sha256: Hash.bind(null, 'sha256'),
    });
    this.timeoutMs = props.timeoutMs ?? 2000;
    this.attemptTimeoutMs = props.attemptTimeoutMs ?? Math.ceil(this.timeoutMs * 0.4);
    this.attempts = props.attempts ?? 3;
  }

  /** @throws {QueryUnavailableError} | {QueryDeniedError} | {QueryRejectedError} */
  async get<D extends AnyQueryDefinition>(
    definition: D,
    params: z.input<D['params']>,
    query: QueryString = {},
  ): Promise<z.output<D['response']> | undefined> {
    const path = queryPath(definition, params);
    const deadline = performance.now() + this.timeoutMs;
    return retry(() => this.attempt(definition, path, query, deadline), {
      attempts: this.attempts,
      baseDelayMs: 50,
      retryable: (error) => error instanceof QueryUnavailableError && performance.now() < deadline,
    });
  }

  private async attempt<D extends AnyQueryDefinition>(
    definition: D,
    path: string,
    query: QueryString,
    deadline: number,
  ): Promise<z.output<D['response']> | undefined> {
    const remaining = Math.floor(deadline - performance.now());
    if (remaining <= 0) {
      throw new QueryUnavailableError(
        `${definition.name} got no answer within ${this.timeoutMs} ms`,
      );
    }
    const url = new URL(path, this.url);
    for (const [name, values] of Object.entries(query)) {
      for (const value of [values].flat()) url.searchParams.append(name, value);
    }
    const signed = await this.signer.sign({
      method: definition.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' && { port: Number(url.port) }),
      path: url.pathname,
      query: Object.fromEntries(
        [...new Set(url.searchParams.keys())].map((name) => [name, url.searchParams.getAll(name)]),
      ),
      headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const { host: _sentByFetch, ...headers } = signed.headers;
    const waitMs = Math.min(this.attemptTimeoutMs, remaining);
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, {
        method: definition.method,
        headers,
        signal: AbortSignal.timeout(waitMs),
      });
      body = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new QueryUnavailableError(
        timedOut
          ? waitMs === remaining
            ? `${definition.name} got no answer within ${this.timeoutMs} ms`
            : `${definition.name} got no answer within the attempt's ${waitMs} ms`
          : `${definition.name} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (response.status === 404) return undefined;
    if (response.status === 401 || response.status === 403) {
      throw new QueryDeniedError(`${definition.name} was denied: ${body}`, response.status);
    }
    if (RETRYABLE_STATUS.has(response.status)) {
      throw new QueryUnavailableError(
        `${definition.name} answered ${response.status}`,
        response.status,
      );
    }
    if (response.status !== 200) {
      throw new QueryRejectedError(
        `${definition.name} answered ${response.status}: ${body}`,
        response.status,
      );
    }
    const parsed = z.safeParse(definition.response, parseJson(body));
    if (!parsed.success) {
      throw new QueryRejectedError(
        `${definition.name} answered outside its contract: ${parsed.error.message}`,
        200,
      );
    }
    return parsed.data as z.output<D['response']>;
  }
}

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};
