import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENVIRONMENT } from '@shop/contracts';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { readConfig } from '../readConfig.js';
import { IDEMPOTENCY_TABLE } from '../tables.js';
import { type ApiAnswer, problem } from './answer.js';

export interface IdempotentRequestsProps {
  readonly dynamodb: DynamoDBClient;
  /** The service's Powertools idempotency table. */
  readonly idempotencyTableName: string;
  /**
   * The operation its records are for, the prefix of their keys (e.g. `PlaceOrder`): the same
   * client key on another operation is another request.
   */
  readonly operation: string;
  /** How long an answer is kept for the retries of its request. */
  readonly expiresAfterSeconds: number;
}

/** One request that may carry a client's idempotency key. */
export interface IdempotentRequest {
  /** Whose request it is (the token's `sub`): nobody is answered with another client's answer. */
  readonly owner: string;
  /** The client's `Idempotency-Key`, validated; without one, the request simply runs. */
  readonly key: string | undefined;
  /** What the request asks, as parsed: a retry must ask the same. */
  readonly payload: unknown;
  /** The invocation's context: a claim on the key lapses at its deadline. */
  readonly lambdaContext: Context | undefined;
}

/** An answer that must not be kept: the request did not run to a decision, so a retry runs it again. */
class UnkeptAnswerError extends Error {
  constructor(readonly answer: ApiAnswer) {
    super(`Answer ${answer.status} is not kept`);
    this.name = 'UnkeptAnswerError';
  }
}

/**
 * Reads the idempotency table of a function that keeps idempotency records from its environment
 * (`IDEMPOTENCY_TABLE_NAME`).
 *
 * @example
 * ```ts
 * new IdempotentRequests({ dynamodb, operation: 'PlaceOrder', expiresAfterSeconds: 86_400, ...idempotencyTableConfig() });
 * ```
 */
export const idempotencyTableConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
) => {
  const config = readConfig(
    z.object({ [ENVIRONMENT.idempotencyTableName]: z.string().check(z.minLength(1)) }),
    env,
  );
  return { idempotencyTableName: config[ENVIRONMENT.idempotencyTableName] };
};

/**
 * Answers the requests of one operation at most once per client and `Idempotency-Key`
 * (draft-ietf-httpapi-idempotency-key-header), with Powertools idempotency on the service's
 * idempotency table, keyed on the owner and the key:
 *
 * - the first request with a key runs; its answer is kept, if it is a decision (2xx to 4xx), for
 *   `expiresAfterSeconds`, and every retry with the key is given that answer without running;
 * - a 5xx answer or a thrown error is not kept: the record is deleted, and a retry runs again;
 * - a retry asking something else than the first request (another payload) is 422
 *   `IDEMPOTENCY_KEY_REUSED`; one while the first still runs is 409 `IDEMPOTENCY_KEY_IN_USE`. A
 *   run that never finishes (its process died) holds the key until its Lambda deadline;
 * - a request without a key runs every time, as if there were no records.
 *
 * @example
 * ```ts
 * const placements = new IdempotentRequests({ dynamodb, idempotencyTableName, operation: 'PlaceOrder', expiresAfterSeconds: 86_400 });
 * await placements.answer({ owner: user.sub, key, payload: body, lambdaContext }, () => place(body));
 * ```
 */
export class IdempotentRequests {
  private readonly persistenceStore: DynamoDBPersistenceLayer;

  constructor(private readonly props: IdempotentRequestsProps) {
    this.persistenceStore = new DynamoDBPersistenceLayer({
      tableName: props.idempotencyTableName,
      keyAttr: IDEMPOTENCY_TABLE.partitionKey,
      expiryAttr: IDEMPOTENCY_TABLE.timeToLive,
      awsSdkV3Client: props.dynamodb,
    });
  }

  /**
   * The answer to `request`: `run`'s, or the one kept for its key.
   *
   * @throws what `run` throws, after forgetting the key.
   */
  async answer(request: IdempotentRequest, run: () => Promise<ApiAnswer>): Promise<ApiAnswer> {
    if (request.key === undefined) return run();
    // A configuration per request: the deadline it registers is this invocation's own.
    const config = new IdempotencyConfig({
      eventKeyJmesPath: '[owner, key]',
      payloadValidationJmesPath: 'payload',
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: this.props.expiresAfterSeconds,
    });
    if (request.lambdaContext !== undefined) config.registerLambdaContext(request.lambdaContext);
    const once = makeIdempotent(
      async (_: { owner: string; key: string; payload: unknown }): Promise<ApiAnswer> => {
        const answer = await run();
        if (answer.status >= 500) throw new UnkeptAnswerError(answer);
        return answer;
      },
      { persistenceStore: this.persistenceStore, config, keyPrefix: this.props.operation },
    );
    try {
      return await once({ owner: request.owner, key: request.key, payload: request.payload });
    } catch (error) {
      if (error instanceof UnkeptAnswerError) return error.answer;
      if (error instanceof IdempotencyValidationError) {
        return problem(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          `Idempotency-Key ${request.key} was used for another request; use a new key for a new request`,
        );
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
        return problem(
          409,
          'IDEMPOTENCY_KEY_IN_USE',
          `A request with Idempotency-Key ${request.key} is still being processed; retry later`,
        );
      }
      throw error;
    }
  }
}
