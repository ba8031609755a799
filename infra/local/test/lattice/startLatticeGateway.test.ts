import { createHash } from 'node:crypto';
import { inventoryService } from '@shop/inventory/service';
import {
  latticeServiceOf,
  type PolicyDocument,
  serviceAuthPolicy,
  serviceNetworkAuthPolicy,
} from '@shop/topology';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../src/lambda/index.js';
import {
  type LatticeAccessLogEntry,
  type LatticeGateway,
  type LatticePrincipal,
  startLatticeGateway,
} from '../../src/lattice/index.js';
import { type RawRequest, rawRequest, streamedRawRequest, unfinishedRequest } from '../rawHttp.js';

const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
const ORGANIZATION = 'o-localshop00';
const principal = (
  service: string,
  account = ACCOUNT,
  organizationId = ORGANIZATION,
): LatticePrincipal => ({
  accessKeyId: `local${service}`,
  secretAccessKey: `secret-${service}`,
  roleArn: `arn:aws:iam::${account}:role/shop/${service}/${service}-local`,
  sessionName: service,
  account,
  organizationId,
});
const order = principal('order');
const payment = principal('payment');
const outsider = principal('outsider', '999999999999', 'o-elsewhere00');

const inventory = latticeServiceOf(inventoryService);
if (inventory === undefined) throw new Error('The topology has no inventory Lattice service');

let target: (event: unknown) => Promise<InvokeOutcome>;
const received: unknown[] = [];
const accessLog: LatticeAccessLogEntry[] = [];
const errors: unknown[] = [];
let gateway: LatticeGateway;
let baseUrl: string;

beforeAll(async () => {
  gateway = await startLatticeGateway({
    region: REGION,
    account: ACCOUNT,
    serviceNetwork: {
      name: 'shop',
      authPolicy: serviceNetworkAuthPolicy({
        organizationId: ORGANIZATION,
        services: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/*`,
      }),
    },
    services: [
      {
        name: inventory.latticeServiceName,
        port: 0,
        authPolicy: (serviceArn) =>
          serviceAuthPolicy(inventory, {
            serviceArn,
            roleArnPattern: (service) => `arn:aws:iam::${ACCOUNT}:role/shop/${service}/*`,
          }),
        invoke: (event) => target(event),
      },
    ],
    principals: [order, payment, outsider],
    onAccessLog: (entry) => accessLog.push(entry),
    onError: (error) => errors.push(error),
  });
  baseUrl = gateway.services[0]?.url ?? '';
});

afterAll(() => gateway.close());

const answering =
  (statusCode: number, body: unknown) =>
  async (event: unknown): Promise<InvokeOutcome> => {
    received.push(event);
    return {
      kind: 'result',
      payload: {
        statusCode,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        isBase64Encoded: false,
      },
    };
  };

const send = async (
  path: string,
  options: {
    readonly as?: LatticePrincipal;
    readonly method?: string;
    readonly signingDate?: Date;
    readonly unsignedPayloadHeader?: boolean;
    readonly tamper?: (headers: Record<string, string>) => Record<string, string>;
  } = {},
) => {
  const url = new URL(path, baseUrl);
  let headers: Record<string, string> = {};
  if (options.as !== undefined) {
    const signer = new SignatureV4({
      service: 'vpc-lattice-svcs',
      region: REGION,
      credentials: {
        accessKeyId: options.as.accessKeyId,
        secretAccessKey: options.as.secretAccessKey,
      },
      sha256: Hash.bind(null, 'sha256'),
      applyChecksum: false,
    });
    const signed = await signer.sign(
      {
        method: options.method ?? 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: Object.fromEntries(
          [...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)]),
        ),
        headers: {
          host: url.host,
          ...(options.unsignedPayloadHeader !== false && {
            'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          }),
        },
      },
      options.signingDate === undefined ? {} : { signingDate: options.signingDate },
    );
    const { host: _host, ...rest } = signed.headers;
    headers = options.tamper?.(rest) ?? rest;
  }
  const response = await fetch(url, { method: options.method ?? 'GET', headers });
  return { status: response.status, body: await response.text() };
};

describe('the local Lattice gateway', () => {
  it("forwards Order's signed GET to the target as a V2 event carrying Order's identity", async () => {
    target = answering(200, { products: [] });
    received.length = 0;

    const response = await send('/products?sku=MUG-001&sku=TEE-001', { as: order });

    expect(response).toEqual({ status: 200, body: JSON.stringify({ products: [] }) });
    expect(received).toEqual([
      expect.objectContaining({
        version: '2.0',
        method: 'GET',
        path: '/products',
        queryStringParameters: { sku: ['MUG-001', 'TEE-001'] },
        headers: expect.objectContaining({ 'x-amz-content-sha256': ['UNSIGNED-PAYLOAD'] }),
        requestContext: expect.objectContaining({
          serviceArn: gateway.services[0]?.arn,
          serviceNetworkArn: gateway.serviceNetworkArn,
          identity: {
            type: 'AWS_IAM',
            principal: 'arn:aws:sts::000000000000:assumed-role/order-local/order',
            principalOrgID: ORGANIZATION,
            sessionName: 'order',
          },
        }),
      }),
    ]);
    expect(accessLog.at(-1)).toMatchObject({
      requestMethod: 'GET',
      requestPath: '/products?sku=MUG-001&sku=TEE-001',
      responseCode: 200,
      callerPrincipal: 'arn:aws:sts::000000000000:assumed-role/order-local/order',
      authDeniedReason: null,
      duration: expect.any(Number),
    });
  });

  it.each([
    [
      'an unsigned request, at the network policy',
      {},
      'User: anonymous is not authorized to perform: vpc-lattice-svcs:Invoke on resource: SERVICE/products because no network-based policy allows the vpc-lattice-svcs:Invoke action',
      'Network',
    ],
    [
      "Payment's credentials, at the service policy",
      { as: payment },
      'User: arn:aws:sts::000000000000:assumed-role/payment-local/payment is not authorized to perform: vpc-lattice-svcs:Invoke on resource: SERVICE/products because no service-based policy allows the vpc-lattice-svcs:Invoke action',
      'Service',
    ],
    [
      'a PUT by Order, at the service policy',
      { as: order, method: 'PUT' },
      'User: arn:aws:sts::000000000000:assumed-role/order-local/order is not authorized to perform: vpc-lattice-svcs:Invoke on resource: SERVICE/products because no service-based policy allows the vpc-lattice-svcs:Invoke action',
      'Service',
    ],
    [
      'a principal of another organization, at the network policy',
      { as: outsider },
      'User: arn:aws:sts::999999999999:assumed-role/outsider-local/outsider is not authorized to perform: vpc-lattice-svcs:Invoke on resource: SERVICE/products because no network-based policy allows the vpc-lattice-svcs:Invoke action',
      'Network',
    ],
  ])('denies %s with 403, never reaching the target', async (_, options, message, level) => {
    target = answering(200, {});
    received.length = 0;

    const response = await send('/products', options);

    expect(response).toEqual({
      status: 403,
      body: `AccessDeniedException: ${message.replace('SERVICE', gateway.services[0]?.arn ?? '')}`,
    });
    expect(received).toEqual([]);
    expect(accessLog.at(-1)).toMatchObject({
      responseCode: 403,
      authDeniedReason: level,
      failureReason: 'ClientAccessDenied',
    });
  });

  it('denies Order a path it did not declare', async () => {
    target = answering(200, {});

    expect((await send('/products/MUG-001', { as: order })).status).toBe(403);
  });

  it.each([
    [
      'a tampered signature',
      {
        as: order,
        tamper: (h: Record<string, string>) => ({
          ...h,
          authorization: String(h['authorization']).replace(
            /Signature=(.)/,
            (_, c) => `Signature=${c === '0' ? '1' : '0'}`,
          ),
        }),
      },
      /^InvalidSignatureException: The request signature we calculated does not match/,
    ],
    [
      'a signature older than five minutes',
      { as: order, signingDate: new Date(Date.now() - 6 * 60_000) },
      /^InvalidSignatureException: Signature expired/,
    ],
    [
      'a signature without x-amz-content-sha256',
      { as: order, unsignedPayloadHeader: false },
      /^IncompleteSignatureException: Missing the 'x-amz-content-sha256'/,
    ],
    [
      'credentials nobody issued',
      { as: { ...order, accessKeyId: 'localnobody' } },
      /^UnrecognizedClientException/,
    ],
  ])('rejects %s with 403', async (_, options, message) => {
    target = answering(200, {});
    received.length = 0;

    const response = await send('/products', options);

    expect(response.status).toBe(403);
    expect(response.body).toMatch(message);
    expect(received).toEqual([]);
  });

  it('answers 503 when the target cannot be reached and 502 when it fails', async () => {
    target = async () => ({ kind: 'unknown-function' });
    expect((await send('/products', { as: order })).status).toBe(503);
    expect(accessLog.at(-1)).toMatchObject({ failureReason: 'TargetConnectionError' });

    target = async () => ({ kind: 'error', errorType: 'Error', errorMessage: 'boom' });
    const failed = await send('/products', { as: order });
    expect(failed).toEqual({ status: 502, body: 'Bad Gateway' });
    expect(accessLog.at(-1)).toMatchObject({ failureReason: 'TargetProtocolError' });

    target = async () => ({
      kind: 'error',
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: r-1 Error: Runtime exited with error: signal: killed',
    });
    expect((await send('/products', { as: order })).status).toBe(502);
  });

  it('answers 429 when Lambda throttles the target, which callers retry', async () => {
    target = async () => ({
      kind: 'throttled',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });

    expect(await send('/products', { as: order })).toEqual({
      status: 429,
      body: 'Too Many Requests',
    });
    expect(accessLog.at(-1)).toMatchObject({ responseCode: 429, failureReason: 'TargetThrottled' });
  });
});

const MB = 1024 * 1024;

/**
 * A raw request signed as `as` would sign it, its path and header names untouched; `payload` is
 * the body hash it claims (`UNSIGNED-PAYLOAD` by default).
 */
const signed = async (
  as: LatticePrincipal,
  raw: RawRequest,
  payload = 'UNSIGNED-PAYLOAD',
): Promise<RawRequest> => {
  const url = new URL(baseUrl);
  const [path = '', search = ''] = raw.path.split(/\?(.*)/s);
  const query: Record<string, string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(search))
    query[name] = [...(query[name] ?? []), value];
  const signer = new SignatureV4({
    service: 'vpc-lattice-svcs',
    region: REGION,
    credentials: { accessKeyId: as.accessKeyId, secretAccessKey: as.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const request = await signer.sign({
    method: raw.method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query,
    headers: { host: url.host, 'x-amz-content-sha256': payload },
  });
  const { host: _host, ...headers } = request.headers;
  return { ...raw, headers: [...Object.entries(headers), ...(raw.headers ?? [])] };
};
/** A gateway of one service, behind the shop's network policy, with the given service policy. */
const oneService = (authPolicy: (serviceArn: string) => PolicyDocument) => ({
  region: REGION,
  account: ACCOUNT,
  serviceNetwork: {
    name: 'one',
    authPolicy: serviceNetworkAuthPolicy({
      organizationId: ORGANIZATION,
      services: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/*`,
    }),
  },
  services: [{ name: 'one', port: 0, authPolicy, invoke: (event: unknown) => target(event) }],
  principals: [order],
});
const head = (request: RawRequest, extra: string) =>
  `${request.method} ${request.path} HTTP/1.1\nhost: ${new URL(baseUrl).host}\n${(
    request.headers ?? []
  )
    .map(([name, value]) => `${name}: ${value}\n`)
    .join('')}${extra}\n`;
type LatticeEvent = {
  path: string;
  headers: Record<string, string[]>;
  queryStringParameters: Record<string, string[]>;
  body?: string;
};

describe('the local Lattice gateway, given hostile input', () => {
  it('keeps __proto__ and constructor as names of query-string parameters and headers', async () => {
    target = answering(200, {});
    received.length = 0;

    const response = await rawRequest(
      baseUrl,
      await signed(order, {
        method: 'GET',
        path: '/products?__proto__=a&constructor=b&__proto__=c',
        headers: [
          ['__proto__', 'h'],
          ['constructor', 'k'],
        ],
      }),
    );

    expect(response.status).toBe(200);
    const event = received.at(-1) as LatticeEvent;
    expect(Object.entries(event.queryStringParameters)).toEqual([
      ['__proto__', ['a', 'c']],
      ['constructor', ['b']],
    ]);
    expect(Object.entries(event.headers)).toEqual(
      expect.arrayContaining([
        ['__proto__', ['h']],
        ['constructor', ['k']],
      ]),
    );
  });

  it('takes a query-string parameter without a name, which no policy can name', async () => {
    target = answering(200, {});

    const response = await rawRequest(
      baseUrl,
      await signed(order, { method: 'GET', path: '/products?=x&sku=MUG-001' }),
    );

    expect(response.status).toBe(200);
    expect((received.at(-1) as LatticeEvent).queryStringParameters).toEqual({
      '': ['x'],
      sku: ['MUG-001'],
    });
  });

  it('denies an unsigned request with __proto__ and constructor headers as anonymous, with nothing internal in the answer', async () => {
    const response = await rawRequest(baseUrl, {
      method: 'GET',
      path: '/products?constructor=1',
      headers: [
        ['__proto__', 'h'],
        ['constructor', 'k'],
      ],
    });

    expect(response.status).toBe(403);
    expect(response.body).toMatch(/^AccessDeniedException: User: anonymous is not authorized/);
  });

  it.each(['/', '//x', '//['])(
    'takes %s as a path, never as a host, and denies it as one',
    async (path) => {
      target = answering(200, {});
      received.length = 0;
      errors.length = 0;

      const response = await rawRequest(baseUrl, await signed(order, { method: 'GET', path }));

      expect(errors).toEqual([]);
      expect(response.status).toBe(403);
      expect(response.body).toContain(`on resource: ${gateway.services[0]?.arn}${path} because`);
      expect(received).toEqual([]);
    },
  );

  it('answers 400 to a request target that is not a path', async () => {
    expect(await rawRequest(baseUrl, { method: 'OPTIONS', path: '*' })).toMatchObject({
      status: 400,
      body: 'Bad Request',
    });
  });

  it('answers 502 for a target answer HTTP cannot carry', async () => {
    for (const payload of [
      { statusCode: 1000 },
      { statusCode: 200, headers: { 'x-bad': 'a\nb' } },
      { statusCode: 200, body: { not: 'a string' } },
    ]) {
      target = async () => ({ kind: 'result', payload });
      expect((await send('/products', { as: order })).status).toBe(502);
    }
  });

  it('answers 500 with nothing about the failure when the gateway itself fails, and hands the error on', async () => {
    const failure = new TypeError("Cannot read properties of undefined (reading 'secret')");
    const failed: unknown[] = [];
    const broken = await startLatticeGateway({
      ...oneService(() => ({ Version: '2012-10-17', Statement: [] })),
      now: () => {
        throw failure;
      },
      onError: (error) => failed.push(error),
    });
    try {
      const request = await signed(order, { method: 'GET', path: '/products' });

      expect(await rawRequest(broken.services[0]?.url ?? '', request)).toMatchObject({
        status: 500,
        body: 'Internal Server Error',
      });
      expect(failed).toEqual([failure]);
    } finally {
      await broken.close();
    }
  });
});

describe('the local Lattice gateway, given a body', () => {
  it('passes on a body that matches the hash it signed, and refuses one that does not', async () => {
    target = answering(200, {});
    received.length = 0;
    const body = '{"note":"\u202e\ud83d\ude00"}';
    const hash = createHash('sha256').update(body).digest('hex');

    const matching = await rawRequest(
      baseUrl,
      await signed(order, { method: 'GET', path: '/products', body }, hash),
    );
    const tampered = await rawRequest(
      baseUrl,
      await signed(order, { method: 'GET', path: '/products', body: `${body} ` }, hash),
    );

    expect(matching.status).toBe(200);
    expect(received).toEqual([expect.objectContaining({ body })]);
    expect(tampered).toMatchObject({
      status: 403,
      body: expect.stringMatching(/^XAmzContentSHA256Mismatch/),
    });
    expect(received).toHaveLength(1);
  });

  it('refuses a content-length over 6 MB at once, without reading the body', async () => {
    received.length = 0;
    const request = await signed(order, { method: 'GET', path: '/products' });

    const answer = await unfinishedRequest(
      baseUrl,
      head(request, `content-length: ${6 * MB + 1}\n`),
    );

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('Payload Too Large');
    expect(received).toEqual([]);
  });

  it('stops reading a streamed body as soon as it passes 6 MB, and answers 413', async () => {
    target = answering(200, {});
    received.length = 0;
    const request = await signed(order, { method: 'GET', path: '/products' });

    const { answer, written } = await streamedRawRequest(
      baseUrl,
      head(request, 'transfer-encoding: chunked\n'),
      100 * MB,
    );

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(written).toBeLessThan(100 * MB);
    expect(received).toEqual([]);
  });

  it.each([
    [
      'an unsigned request',
      async (): Promise<RawRequest> => ({ method: 'POST', path: '/products' }),
      /^AccessDeniedException: User: anonymous/,
    ],
    [
      'a tampered signature',
      async () => {
        const request = await signed(order, { method: 'POST', path: '/products' });
        return {
          ...request,
          headers: (request.headers ?? []).map(([name, value]): [string, string] => [
            name,
            name === 'authorization' ? value.replace(/.$/, (c) => (c === '0' ? '1' : '0')) : value,
          ]),
        };
      },
      /^InvalidSignatureException/,
    ],
    [
      'a request its policies deny',
      () => signed(order, { method: 'POST', path: '/products' }),
      /^AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role\/order-local\/order/,
    ],
  ])('refuses %s without reading its body', async (_, request, message) => {
    received.length = 0;

    const answer = await unfinishedRequest(
      baseUrl,
      head(await request(), 'transfer-encoding: chunked\n'),
      [Buffer.from('5\r\nhello\r\n')],
    );

    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer.split('\r\n\r\n')[1]?.split('\r\n')[1]).toMatch(message);
    expect(received).toEqual([]);
  });
});
