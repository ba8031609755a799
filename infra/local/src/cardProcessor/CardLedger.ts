import { randomUUID } from 'node:crypto';
import type { ChargeRequest, Money, RefundRequest } from './requests.js';

/** One charge attempt in the sandbox's ledger. Declined attempts are kept, marked `declined`. */
export interface Charge {
  readonly id: string;
  /** The merchant's reference, e.g. the order id. */
  readonly reference: string;
  readonly amount: Readonly<Money>;
  readonly status: 'captured' | 'declined';
  readonly refundedMinor: number;
  readonly createdAt: string;
}

/** What the sandbox answers a request: an HTTP status and a JSON body. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const declined = (code: string): Answer => ({ status: 402, body: { code } });

/**
 * The card processor sandbox's books: every charge attempt, and the first answer to each
 * idempotency key. A repeated request gets the first answer and never charges twice; the same key
 * with another request is refused with 409. Answers of 500 and above are not kept, so a retry
 * runs again.
 *
 * @example
 * ```ts
 * const ledger = new CardLedger();
 * const request = { token: 'tok_success', amount: { amountMinor: 1299, currency: 'EUR' }, reference: 'o-1' } as const;
 * ledger.charge('/charges pay-o-1', request); // 201, captured
 * ledger.charge('/charges pay-o-1', request); // the same answer, no second charge
 * ```
 */
export class CardLedger {
  private readonly entries = new Map<string, Charge>();
  private readonly firstAnswers = new Map<
    string,
    { readonly request: string; readonly answer: Answer }
  >();

  /** Every charge attempt, oldest first; only those with the reference when one is given. */
  charges(reference: string | null = null): Charge[] {
    return [...this.entries.values()].filter(
      (entry) => reference === null || entry.reference === reference,
    );
  }

  /** Whether a request with this idempotency scope (`<path> <key>`) has been answered. */
  hasAnswered(scope: string): boolean {
    return this.firstAnswers.has(scope);
  }

  charge(scope: string, request: ChargeRequest): Answer {
    return this.idempotent(scope, request, () => this.capture(request));
  }

  refund(scope: string, request: RefundRequest): Answer {
    return this.idempotent(scope, request, () => this.refundCharge(request));
  }

  private idempotent(scope: string, request: unknown, run: () => Answer): Answer {
    const fingerprint = JSON.stringify(request);
    const first = this.firstAnswers.get(scope);
    if (first !== undefined) {
      return first.request === fingerprint
        ? first.answer
        : { status: 409, body: { code: 'idempotency_key_reused' } };
    }
    const answer = run();
    if (answer.status < 500) this.firstAnswers.set(scope, { request: fingerprint, answer });
    return answer;
  }

  private capture(request: ChargeRequest): Answer {
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
    this.entries.set(entry.id, entry);
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
  }

  private refundCharge(request: RefundRequest): Answer {
    const entry = this.entries.get(request.chargeId);
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
    this.entries.set(entry.id, { ...entry, refundedMinor });
    return {
      status: 201,
      body: {
        id: `re_${randomUUID()}`,
        chargeId: entry.id,
        amount: request.amount,
        status: 'refunded',
      },
    };
  }
}
