import type { Money } from '@shop/contracts';
import * as z from 'zod/mini';
import type { ChargeOutcome } from '#domain/payment.js';
import {
  type CardProcessor,
  ProcessorTimeoutError,
  ProcessorUnavailableError,
} from '../app/ports.js';

export interface HttpCardProcessorProps {
  /** The processor's API, e.g. the local sandbox's URL. */
  readonly baseUrl: string;
  /** How long to wait for an answer before treating the call as unanswered. @default 1000 */
  readonly timeoutMs?: number;
}

const ChargeResponseSchema = z.object({ id: z.string().check(z.minLength(1)) });
const DeclineResponseSchema = z.object({ code: z.string() });
const ChargesResponseSchema = z.object({
  charges: z.array(z.object({ id: z.string(), reference: z.string(), status: z.string() })),
});
/** A processor's error code, such as `invalid_request`: a word, never a value of the request. */
const ErrorCodeSchema = z.object({ code: z.string().check(z.regex(/^[a-z0-9_]{1,64}$/)) });

/**
 * What the processor answered, for an error message: the status and the error code. Never the
 * body, which may echo the card token (`No such token: 'tok_…'`) into the logs.
 */
const answered = async (response: Response): Promise<string> => {
  const json: unknown = await response.json().catch(() => undefined);
  const error = ErrorCodeSchema.safeParse(json);
  return error.success ? `${response.status} ${error.data.code}` : String(response.status);
};

const DECLINE_REASONS: Readonly<Record<string, ChargeOutcome & { outcome: 'failed' }>> = {
  card_declined: { outcome: 'failed', reason: 'CARD_DECLINED' },
  insufficient_funds: { outcome: 'failed', reason: 'INSUFFICIENT_FUNDS' },
};

/**
 * The card processor over HTTPS (the local cloud runs a sandbox with test tokens). Every request
 * carries its `Idempotency-Key`; no answer within the timeout is a {@link ProcessorTimeoutError}
 * (the charge may have happened), a 5xx a {@link ProcessorUnavailableError} (it did not).
 */
export class HttpCardProcessor implements CardProcessor {
  constructor(private readonly props: HttpCardProcessorProps) {}

  async charge(request: {
    readonly idempotencyKey: string;
    readonly token: string;
    readonly amount: Money;
    readonly reference: string;
  }): Promise<ChargeOutcome> {
    const { idempotencyKey, ...body } = request;
    const response = await this.post('/charges', idempotencyKey, body);
    const json: unknown = await response.json();
    if (response.status === 201) {
      return { outcome: 'captured', chargeId: ChargeResponseSchema.parse(json).id };
    }
    const { code } = DeclineResponseSchema.parse(json);
    return DECLINE_REASONS[code] ?? { outcome: 'failed', reason: 'CARD_DECLINED' };
  }

  async capturedCharge(reference: string): Promise<{ readonly chargeId: string } | undefined> {
    const url = new URL('/charges', this.props.baseUrl);
    url.searchParams.set('reference', reference);
    const response = await this.send(url, {});
    if (response.status !== 200) {
      throw new Error(`/charges: unexpected ${await answered(response)}`);
    }
    const { charges } = ChargesResponseSchema.parse(await response.json());
    const found = charges.find(
      (charge) => charge.reference === reference && charge.status === 'captured',
    );
    return found === undefined ? undefined : { chargeId: found.id };
  }

  async refund(request: {
    readonly idempotencyKey: string;
    readonly chargeId: string;
    readonly amount: Money;
  }): Promise<void> {
    const { idempotencyKey, ...body } = request;
    const response = await this.post('/refunds', idempotencyKey, body);
    if (response.status !== 201) {
      throw new Error(`Refund refused: ${await answered(response)}`);
    }
  }

  private async post(path: string, idempotencyKey: string, body: unknown): Promise<Response> {
    const response = await this.send(new URL(path, this.props.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify(body),
    });
    if (response.status !== 201 && response.status !== 402) {
      throw new Error(`${path}: unexpected ${await answered(response)}`);
    }
    return response;
  }

  /** One request: no answer in time is a timeout, a 5xx the processor unavailable. */
  private async send(url: URL, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        signal: AbortSignal.timeout(this.props.timeoutMs ?? 1000),
      });
    } catch (error) {
      throw new ProcessorTimeoutError(`${url.pathname}: no answer (${String(error)})`);
    }
    if (response.status >= 500) {
      throw new ProcessorUnavailableError(`${url.pathname}: ${await answered(response)}`);
    }
    return response;
  }
}
