import { inventoryService } from '@shop/inventory/service';
import { latticeServiceOf, serviceAuthPolicy, serviceNetworkAuthPolicy } from '@shop/topology';
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
  });
});
