import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';

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

const MoneySchema = z.object({
  amountMinor: z.int().min(0),
  currency: z.enum(['EUR', 'USD', 'GBP']),
});
const ChargeRequestSchema = z.object({
  token: z.string().min(1),
  amount: MoneySchema,
  reference: z.string().min(1),
});
const RefundRequestSchema = z.object({ chargeId: z.string().min(1), amount: MoneySchema });

/** One charge attempt in the sandbox's ledger. Declined attempts are kept, marked `declined`. */
export interface Charge {
  readonly id: string;
  /** The merchant's reference, e.g. the order id. */
  readonly reference: string;
  readonly amount: Readonly<z.infer<typeof MoneySchema>>;
  readonly status: 'captured' | 'declined';
  readonly refundedMinor: number;
  readonly createdAt: string;
}

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
  /** Stops listening and drops every connection, answered or not. */
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

interface Reply extends Answer {
  readonly delayMs?: number;
}

const MAX_BODY_BYTES = 64 * 1024;

const readBody = (req: IncomingMessage): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });

const parseJson = (text: string): { readonly json: unknown } | undefined => {
  try {
    return { json: JSON.parse(text) };
  } catch {
    return undefined;
  }
};

const send = (res: ServerResponse, answer: Answer): void => {
  if (res.destroyed) return;
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};

const declined = (code: string): Answer => ({ status: 402, body: { code } });

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
 * await processor.close();
 * ```
 */
export const startCardProcessor = async (
  props: CardProcessorProps = {},
): Promise<CardProcessor> => {
  const timeoutDelayMs = props.timeoutDelayMs ?? 3000;
  const ledger = new Map<string, Charge>();
  const firstAnswers = new Map<string, { readonly request: string; readonly answer: Answer }>();
  const sockets = new Set<Socket>();
  const heldBack = new Set<NodeJS.Timeout>();

  const idempotent = (scope: string, request: unknown, run: () => Answer): Answer => {
    const fingerprint = JSON.stringify(request);
    const first = firstAnswers.get(scope);
    if (first !== undefined) {
      return first.request === fingerprint
        ? first.answer
        : { status: 409, body: { code: 'idempotency_key_reused' } };
    }
    const answer = run();
    if (answer.status < 500) firstAnswers.set(scope, { request: fingerprint, answer });
    return answer;
  };

  const charge = (request: z.infer<typeof ChargeRequestSchema>): Answer => {
    if (request.token === 'tok_unavailable') {
      return { status: 503, body: { code: 'processor_unavailable' } };
    }
    const captured = request.token === 'tok_success' || request.token === 'tok_timeout';
    const entry: Charge = {
      id: `ch_${randomUUID()}`,
      reference: request.reference,
      amount: request.amount,
      status: captured ? 'captured' : 'declined',
      refundedMinor: 0,
      createdAt: new Date().toISOString(),
    };
    ledger.set(entry.id, entry);
    if (!captured) {
      return declined(
        request.token === 'tok_insufficient_funds' ? 'insufficient_funds' : 'card_declined',
      );
    }
    return {
      status: 201,
      body: {
        id: entry.id,
        status: entry.status,
        amount: entry.amount,
        reference: entry.reference,
      },
    };
  };

  const refund = (request: z.infer<typeof RefundRequestSchema>): Answer => {
    const entry = ledger.get(request.chargeId);
    if (entry === undefined || entry.status !== 'captured') {
      return { status: 404, body: { code: 'charge_not_found' } };
    }
    if (request.amount.currency !== entry.amount.currency) {
      return { status: 400, body: { code: 'currency_mismatch' } };
    }
    const refundedMinor = entry.refundedMinor + request.amount.amountMinor;
    if (refundedMinor > entry.amount.amountMinor) {
      return { status: 400, body: { code: 'amount_too_large' } };
    }
    ledger.set(entry.id, { ...entry, refundedMinor });
    return {
      status: 201,
      body: {
        id: `re_${randomUUID()}`,
        chargeId: entry.id,
        amount: request.amount,
        status: 'refunded',
      },
    };
  };

  const handle = async (req: IncomingMessage): Promise<Reply> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/charges') {
      const reference = url.searchParams.get('reference');
      const charges = [...ledger.values()].filter(
        (entry) => reference === null || entry.reference === reference,
      );
      return { status: 200, body: { charges } };
    }
    if (req.method !== 'POST' || (url.pathname !== '/charges' && url.pathname !== '/refunds')) {
      return { status: 404, body: { code: 'not_found' } };
    }
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') {
      return { status: 400, body: { code: 'idempotency_key_required' } };
    }
    const text = await readBody(req);
    if (text === undefined) return { status: 400, body: { code: 'request_too_large' } };
    const parsedJson = parseJson(text);
    if (parsedJson === undefined) return { status: 400, body: { code: 'invalid_json' } };
    const scope = `${url.pathname} ${key}`;
    if (url.pathname === '/refunds') {
      const parsed = RefundRequestSchema.safeParse(parsedJson.json);
      if (!parsed.success) {
        return { status: 400, body: { code: 'invalid_request', issues: parsed.error.issues } };
      }
      return idempotent(scope, parsed.data, () => refund(parsed.data));
    }
    const parsed = ChargeRequestSchema.safeParse(parsedJson.json);
    if (!parsed.success) {
      return { status: 400, body: { code: 'invalid_request', issues: parsed.error.issues } };
    }
    const isFirst = !firstAnswers.has(scope);
    const answer = idempotent(scope, parsed.data, () => charge(parsed.data));
    return isFirst && parsed.data.token === 'tok_timeout'
      ? { ...answer, delayMs: timeoutDelayMs }
      : answer;
  };

  const server = createServer((req, res) => {
    handle(req).then(
      (reply) => {
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
      },
      (error: unknown) =>
        send(res, { status: 500, body: { code: 'internal_error', message: String(error) } }),
    );
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(props.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    charges: () => [...ledger.values()],
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const timer of heldBack) clearTimeout(timer);
        heldBack.clear();
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
};
