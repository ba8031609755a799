import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type * as z from 'zod';
import { listen } from '../http/listen.js';
import { readBody } from '../http/readBody.js';
import { requestUrl } from '../http/requestUrl.js';
import { type Answer, CardLedger, type Charge } from './CardLedger.js';
import { ChargeRequestSchema, RefundRequestSchema } from './requests.js';

/**
 * The sandbox's test tokens and what a charge with each one does. Any other token is declined
 * like `tok_declined`.
 *
 * @example
 * ```ts
 * for (const [token, behaviour] of Object.entries(CARD_PROCESSOR_TEST_TOKENS)) {
 *   console.log(`${token}: ${behaviour}`);
 * }
 * ```
 */
export const CARD_PROCESSOR_TEST_TOKENS = {
  tok_success: '201: the charge is captured.',
  tok_declined: '402 card_declined: nothing captured.',
  tok_insufficient_funds: '402 insufficient_funds: nothing captured.',
  tok_timeout:
    '201 and captured, but the first answer for the idempotency key is held back for timeoutDelayMs, as if lost after capture; a retry with the same key is answered at once.',
  tok_unavailable: '503 processor_unavailable, every time: nothing captured.',
} as const;

export interface CardProcessorProps {
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** How long the first answer to a `tok_timeout` charge is held back. @default 3000 */
  readonly timeoutDelayMs?: number;
}

/** A running card processor sandbox. */
export interface CardProcessor {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The ledger, oldest first: count `status === 'captured'` for what was really charged. */
  charges(): readonly Charge[];
  /**
   * Takes the sandbox down, as an outage of the provider does: it stops listening and drops every
   * connection, answered or not, so a request finds nothing there (connection refused). The
   * ledger and the answers kept for idempotency keys survive. Nothing if it is already down.
   */
  suspend(): Promise<void>;
  /**
   * Ends an outage: listens again on the same port, with the same ledger and keys, so a retry
   * with the key of a request that never reached it is answered as a first request. Nothing if
   * it is up; rejects if it was closed or the port has been taken meanwhile.
   */
  resume(): Promise<void>;
  /** Stops listening and drops every connection, answered or not. */
  close(): Promise<void>;
}

interface Reply extends Answer {
  readonly delayMs?: number;
}

const MAX_BODY_BYTES = 64 * 1024;

const send = (res: ServerResponse, answer: Answer): void => {
  if (res.destroyed) return;
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

const invalidRequest = (error: z.ZodError): Answer => ({
  status: 400,
  body: { code: 'invalid_request', issues: error.issues },
});

/** The request's JSON body, or the answer when it is too large or not JSON. */
const readJson = async (req: IncomingMessage): Promise<{ readonly json: unknown } | Answer> => {
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === undefined) return { status: 400, body: { code: 'request_too_large' } };
  try {
    return { json: JSON.parse(body.toString('utf8')) };
  } catch {
    return { status: 400, body: { code: 'invalid_json' } };
  }
};

interface Sandbox {
  readonly ledger: CardLedger;
  readonly timeoutDelayMs: number;
}

const answerCharge = (sandbox: Sandbox, scope: string, json: unknown): Reply => {
  const parsed = ChargeRequestSchema.safeParse(json);
  if (!parsed.success) return invalidRequest(parsed.error);
  const isFirst = !sandbox.ledger.hasAnswered(scope);
  const answer = sandbox.ledger.charge(scope, parsed.data);
  return isFirst && parsed.data.token === 'tok_timeout'
    ? { ...answer, delayMs: sandbox.timeoutDelayMs }
    : answer;
};

const answerRefund = (sandbox: Sandbox, scope: string, json: unknown): Reply => {
  const parsed = RefundRequestSchema.safeParse(json);
  if (!parsed.success) return invalidRequest(parsed.error);
  return sandbox.ledger.refund(scope, parsed.data);
};

const handle = async (sandbox: Sandbox, req: IncomingMessage): Promise<Reply> => {
  const url = requestUrl(req.url);
  if (url === undefined) return { status: 404, body: { code: 'not_found' } };
  if (req.method === 'GET' && url.pathname === '/charges') {
    return {
      status: 200,
      body: { charges: sandbox.ledger.charges(url.searchParams.get('reference')) },
    };
  }
  if (req.method !== 'POST' || (url.pathname !== '/charges' && url.pathname !== '/refunds')) {
    return { status: 404, body: { code: 'not_found' } };
  }
  const key = req.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') {
    return { status: 400, body: { code: 'idempotency_key_required' } };
  }
  const read = await readJson(req);
  if (!('json' in read)) return read;
  const scope = `${url.pathname} ${key}`;
  return url.pathname === '/refunds'
    ? answerRefund(sandbox, scope, read.json)
    : answerCharge(sandbox, scope, read.json);
};

/** Sends the reply now, or after its delay unless the connection closes first. */
const sendWhenDue = (res: ServerResponse, reply: Reply, heldBack: Set<NodeJS.Timeout>): void => {
  if (reply.delayMs === undefined) {
    send(res, reply);
    return;
  }
  const timer = setTimeout(() => {
    heldBack.delete(timer);
    send(res, reply);
  }, reply.delayMs);
  heldBack.add(timer);
  res.once('close', () => {
    clearTimeout(timer);
    heldBack.delete(timer);
  });
};

/** The server's open connections, as they come and go. */
const openSockets = (server: Server): Set<Socket> => {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
};

/**
 * Starts a card processor sandbox on 127.0.0.1, like a payment provider's test mode: JSON over
 * HTTP, outcomes chosen by {@link CARD_PROCESSOR_TEST_TOKENS}, and idempotency keys honoured as
 * real providers do. A repeated request gets the first answer and never charges twice; the same
 * key with another body is refused with 409.
 *
 * - `POST /charges` (`Idempotency-Key`; `{ token, amount: { amountMinor, currency }, reference }`)
 * - `POST /refunds` (`Idempotency-Key`; `{ chargeId, amount }`)
 * - `GET /charges?reference=<reference>`
 *
 * `suspend()` and `resume()` are the sandbox operator's outage: between them nothing listens on
 * its port, as when a provider is down, and it comes back with its books intact.
 *
 * @example
 * ```ts
 * const processor = await startCardProcessor({ timeoutDelayMs: 500 });
 * await fetch(`${processor.url}/charges`, {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', 'idempotency-key': 'pay-o-1' },
 *   body: JSON.stringify({
 *     token: 'tok_success',
 *     amount: { amountMinor: 1299, currency: 'EUR' },
 *     reference: 'o-1',
 *   }),
 * });
 * processor.charges().filter((charge) => charge.status === 'captured'); // one charge
 * await processor.suspend(); // an outage: requests are refused
 * await processor.resume(); // back on the same URL, with the same ledger
 * await processor.close();
 * ```
 */
export const startCardProcessor = async (
  props: CardProcessorProps = {},
): Promise<CardProcessor> => {
  const sandbox: Sandbox = {
    ledger: new CardLedger(),
    timeoutDelayMs: props.timeoutDelayMs ?? 3000,
  };
  const heldBack = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    handle(sandbox, req).then(
      (reply) => sendWhenDue(res, reply, heldBack),
      (error: unknown) =>
        send(res, { status: 500, body: { code: 'internal_error', message: String(error) } }),
    );
  });
  const sockets = openSockets(server);
  const port = await listen(server, props.port ?? 0);
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const timer of heldBack) clearTimeout(timer);
      heldBack.clear();
      for (const socket of sockets) socket.destroy();
    });

  let closed: Promise<void> | undefined;
  /** While it is down: its going down. */
  let down: Promise<void> | undefined;
  /** Its last coming back up, or its start. */
  let up: Promise<void> = Promise.resolve();
  return {
    url: `http://127.0.0.1:${port}`,
    charges: () => sandbox.ledger.charges(),
    suspend: () => {
      down ??= up.catch(() => undefined).then(stopListening);
      return down;
    },
    resume: () => {
      if (closed !== undefined) {
        return Promise.reject(new Error('The card processor sandbox is closed'));
      }
      if (down !== undefined) {
        const goingDown = down;
        down = undefined;
        up = goingDown.then(async () => {
          await listen(server, port);
        });
      }
      return up;
    },
    close: () => {
      closed ??= down ?? up.catch(() => undefined).then(stopListening);
      return closed;
    },
  };
};
