import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetStock, ListProducts } from '@shop/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QueryDeniedError, QueryRejectedError, QueryUnavailableError } from '../src/errors.js';
import { QueryClient } from '../src/lattice/QueryClient.js';

// The other side of the wire: a stand-in for a Lattice service, answering from a script.
type Reply = { status: number; body: string } | 'hang';
let script: Reply[] = [];
const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', headers: request.headers });
    const reply = script.shift() ?? { status: 500, body: '' };
    if (reply === 'hang') return;
    response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  script = [];
  requests.length = 0;
});

const client = (timeoutMs = 2000, attemptTimeoutMs = 800) =>
  new QueryClient({
    baseUrl,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDORDER', secretAccessKey: 'secret' },
    timeoutMs,
    attemptTimeoutMs,
  });
const stock = { sku: 'MUG-001', available: 2, reserved: 0 };

describe('QueryClient', () => {
  it('signs a GET with SigV4 for vpc-lattice-svcs and an unsigned payload, and parses the answer', async () => {
    script = [{ status: 200, body: JSON.stringify(stock) }];

    expect(await client().get(GetStock, { sku: 'MUG-001' })).toEqual(stock);
    expect(requests[0]?.url).toBe('/products/MUG-001/stock');
    expect(requests[0]?.headers).toMatchObject({
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-amz-date': expect.stringMatching(/^\d{8}T\d{6}Z$/),
      authorization: expect.stringMatching(
        /^AWS4-HMAC-SHA256 Credential=AKIDORDER\/\d{8}\/eu-west-1\/vpc-lattice-svcs\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
      ),
    });
  });

  it('sends repeated query parameters and reads 404 as undefined', async () => {
    script = [{ status: 404, body: '{}' }];

    expect(await client().get(ListProducts, {}, { sku: ['A-1', 'B-2'] })).toBeUndefined();
    expect(requests[0]?.url).toBe('/products?sku=A-1&sku=B-2');
  });

  it('retries 503, 429 and a hung attempt, then answers', async () => {
    script = [{ status: 503, body: '' }, 'hang', { status: 200, body: JSON.stringify(stock) }];

    expect(await client(5000, 200).get(GetStock, { sku: 'MUG-001' })).toEqual(stock);
    expect(requests).toHaveLength(3);
  });

  it('gives up with QueryUnavailableError when every attempt fails', async () => {
    script = [
      { status: 502, body: '' },
      { status: 503, body: '' },
      { status: 504, body: '' },
    ];

    const failed = client().get(GetStock, { sku: 'MUG-001' });
    await expect(failed).rejects.toBeInstanceOf(QueryUnavailableError);
    await expect(failed).rejects.toMatchObject({ status: 504 });
    expect(requests).toHaveLength(3);
  });

  it('stops at the time budget with QueryUnavailableError', async () => {
    script = ['hang', 'hang', 'hang'];

    await expect(client(300).get(GetStock, { sku: 'MUG-001' })).rejects.toThrow(
      'GetStock got no answer within 300 ms',
    );
  });

  it('never retries a denial, and rejects answers outside the contract', async () => {
    script = [{ status: 403, body: 'AccessDeniedException: User: ... is not authorized' }];
    await expect(client().get(GetStock, { sku: 'MUG-001' })).rejects.toBeInstanceOf(
      QueryDeniedError,
    );
    expect(requests).toHaveLength(1);

    script = [{ status: 200, body: JSON.stringify({ sku: 'MUG-001', available: -1 }) }];
    await expect(client().get(GetStock, { sku: 'MUG-001' })).rejects.toBeInstanceOf(
      QueryRejectedError,
    );

    script = [{ status: 400, body: '{}' }];
    await expect(client().get(GetStock, { sku: 'MUG-001' })).rejects.toMatchObject({
      name: 'QueryRejectedError',
      status: 400,
    });
  });
});
