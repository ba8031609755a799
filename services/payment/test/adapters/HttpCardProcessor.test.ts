import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCardProcessor } from '../../src/adapters/HttpCardProcessor.js';
import { ProcessorUnavailableError } from '../../src/app/ports.js';
import { TOTAL } from '../fakes.js';

const TOKEN = 'tok_4242_secret';

/** A processor that answers every request with the next scripted status and body. */
let answers: { status: number; body: string }[] = [];
/** Each request's method and path, as the processor received it. */
const received: string[] = [];
let server: Server;
let processor: HttpCardProcessor;

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      const answer = answers.shift() ?? { status: 500, body: '' };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // Time enough for an answer on a busy machine: these tests are about answers, not timeouts.
  processor = new HttpCardProcessor({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 30_000 });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const charge = () =>
  processor.charge({
    idempotencyKey: 'charge-1',
    token: TOKEN,
    amount: TOTAL,
    reference: 'order-1',
  });

describe('HttpCardProcessor', () => {
  it('names the status and the code of a refusal, never a body that echoes the card token', async () => {
    answers = [
      {
        status: 400,
        body: JSON.stringify({ code: 'invalid_request', message: `No such token: '${TOKEN}'` }),
      },
    ];

    const error = await charge().catch((e: unknown) => e);

    expect(error).toEqual(new Error('/charges: unexpected 400 invalid_request'));
  });

  it('says the processor is unavailable without repeating what it answered', async () => {
    answers = [{ status: 503, body: `Upstream failed for ${TOKEN}` }];

    const error = await charge().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProcessorUnavailableError);
    expect(String((error as Error).message)).toBe('/charges: 503');
  });

  it('finds the captured charge the processor has on record for a reference, and none when it has none', async () => {
    const charges = (...list: { id: string; status: string }[]) => ({
      status: 200,
      body: JSON.stringify({
        charges: list.map((one) => ({ ...one, reference: 'order 1', amount: TOTAL })),
      }),
    });
    answers = [
      charges({ id: 'ch_declined', status: 'declined' }, { id: 'ch_captured', status: 'captured' }),
      charges({ id: 'ch_declined', status: 'declined' }),
    ];
    const from = received.length;

    expect(await processor.capturedCharge('order 1')).toEqual({ chargeId: 'ch_captured' });
    expect(await processor.capturedCharge('order 1')).toBeUndefined();
    expect(received.slice(from)).toEqual([
      'GET /charges?reference=order+1',
      'GET /charges?reference=order+1',
    ]);
  });
});
