import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';

/** The test tokens of the sandbox and what each one does. */
export const CARD_PROCESSOR_TEST_TOKENS = {
  tok_success: 'The charge is captured.',
  tok_declined: 'Declined: 402 card_declined. Nothing captured.',
  tok_insufficient_funds: 'Declined: 402 insufficient_funds. Nothing captured.',
  tok_timeout:
    'Captured, but the first answer for the idempotency key is held back longer than a client waits; a retry with the same key gets the answer at once.',
  tok_unavailable: 'Always 503 processor_unavailable. Nothing captured.',
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

/** One charge in the sandbox's ledger. */
export interface Charge {
  readonly id: string;
  readonly reference: string;
  readonly amount: z.infer<typeof MoneySchema>;
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

export interface CardProcessor {
  readonly url: string;
  /** The ledger: every charge attempt that reached a decision. */
  charges(): readonly Charge[];
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const MAX_BODY_BYTES = 64 * 1024;

const readBody = async (req: IncomingMessage): Promise<string | undefined> => {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * A card processor sandbox, like a payment provider's test mode: charges and refunds over HTTP,
 * outcomes chosen by test tokens ({@link CARD_PROCESSOR_TEST_TOKENS}), and idempotency keys as
 * real providers honour them: a repeated request returns the first answer and never charges
 * twice. The ledger shows what was really captured.
 *
 * @example
 * ```ts
 * const processor = await startCardProcessor();
 * await fetch(`${processor.url}/charges`, {
 *   method: 'POST',
 *   headers: { 'idempotency-key': 'charge-o-1' },
 *   body: JSON.stringify({ token: 'tok_success', amount: { amountMinor: 100, currency: 'EUR' }, reference: 'o-1' }),
 * });
 * processor.charges().length; // 1
 * ```
 */
export const startCardProcessor = async (
  props: CardProcessorProps = {},
): Promise<CardProcessor> => {
  const ledger = new Map<string, Charge>();
  const answers = new Map<string, { request: string; answer: Answer }>();
  const answered = new Set<string>();
  const sockets = new Set<Socket>();
  const delay = props.timeoutDelayMs ?? 3000;

  const charge = (body: z.infer<typeof ChargeRequestSchema>): Answer => {
    if (body.token === 'tok_unavailable') {
      return { status: 503, body: { code: 'processor_unavailable' } };
    }
    const captured = body.token === 'tok_success' || body.token === 'tok_timeout';
    const entry: Charge = {
      id: `ch_${randomUUID()}`,
      reference: body.reference,
      amount: body.amount,
      status: captured ? 'captured' : 'declined',
      refundedMinor: 0,
      createdAt: new Date().toISOString(),
    };
    ledger.set(entry.id, entry);
    if (captured) return { status: 201, body: entry };
    return {
      status: 402,
      body: {
        code: body.token === 'tok_insufficient_funds' ? 'insufficient_funds' : 'card_declined',
      },
    };
  };

  const refund = (body: z.infer<typeof RefundRequestSchema>): Answer => {
    const entry = ledger.get(body.chargeId);
    if (entry === undefined || entry.status !== 'captured') {
      return { status: 404, body: { code: 'charge_not_found' } };
    }
    if (entry.refundedMinor + body.amount.amountMinor > entry.amount.amountMinor) {
      return { status: 400, body: { code: 'amount_too_large' } };
    }
    ledger.set(entry.id, {
      ...entry,
      refundedMinor: entry.refundedMinor + body.amount.amountMinor,
    });
    return {
      status: 201,
      body: {
        id: `re_${randomUUID()}`,
        chargeId: entry.id,
        amount: body.amount,
        status: 'refunded',
      },
    };
  };

  const routes: Record<string, { schema: z.ZodType; run: (body: never) => Answer }> = {
    '/charges': { schema: ChargeRequestSchema, run: charge },
    '/refunds': { schema: RefundRequestSchema, run: refund },
  };

  const handle = async (req: IncomingMessage): Promise<Answer & { holdMs?: number }> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/charges') {
      const reference = url.searchParams.get('reference');
      return {
        status: 200,
        body: {
          charges: [...ledger.values()].filter((c) => !reference || c.reference === reference),
        },
      };
    }
    const route = req.method === 'POST' ? routes[url.pathname] : undefined;
    if (route === undefined) return { status: 404, body: { code: 'not_found' } };
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') {
      return { status: 400, body: { code: 'idempotency_key_required' } };
    }
    const text = await readBody(req);
    if (text === undefined) return { status: 413, body: { code: 'request_too_large' } };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { status: 400, body: { code: 'invalid_json' } };
    }
    const parsed = route.schema.safeParse(json);
    if (!parsed.success) {
      return { status: 400, body: { code: 'invalid_request', issues: parsed.error.issues } };
    }
    const scopedKey = `${url.pathname} ${key}`;
    const request = JSON.stringify(parsed.data);
    const previous = answers.get(scopedKey);
    if (previous !== undefined) {
      if (previous.request !== request)
        return { status: 409, body: { code: 'idempotency_key_reused' } };
      answered.add(scopedKey);
      return previous.answer;
    }
    const answer = route.run(parsed.data as never);
    if (answer.status < 500) answers.set(scopedKey, { request, answer });
    const lost =
      (parsed.data as { token?: string }).token === 'tok_timeout' && !answered.has(scopedKey);
    answered.add(scopedKey);
    return lost ? { ...answer, holdMs: delay } : answer;
  };

  const respond = (res: ServerResponse, answer: Answer) => {
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  };

  const server = createServer((req, res) => {
    handle(req).then(
      (answer) => {
        if (answer.holdMs === undefined) respond(res, answer);
        else setTimeout(() => respond(res, answer), answer.holdMs).unref();
      },
      (error: unknown) =>
        respond(res, { status: 500, body: { code: 'internal', message: String(error) } }),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(props.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    charges: () => [...ledger.values()],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
