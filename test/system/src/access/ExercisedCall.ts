import * as z from 'zod';

/**
 * One kind of call a system test file saw judged, with how often: a line of
 * `test/system/.access/<file>.jsonl`. IAM front decisions and Lattice access-log entries alike,
 * reduced to who (the role) did what (action) to what (resource) and the decision.
 */
export const ExercisedCallSchema = z.object({
  /** The test file, e.g. `saga.test.ts`. */
  file: z.string(),
  /** The test's full name; null for calls made outside any test (start-up, after the last). */
  test: z.string().nullable(),
  /** Whether the test is tagged `attack`: it makes calls that must be refused. */
  attack: z.boolean(),
  /** The endpoint that judged it: `dynamodb`, `sqs`, `events`, ... or `vpc-lattice`. */
  endpoint: z.string(),
  /** The session that signed; null when none could be told (unsigned, unknown key). */
  principal: z.string().nullable(),
  /** The role of the session; null for a principal no role of the shop stands for. */
  roleArn: z.string().nullable(),
  /** The IAM action; null for a request refused before it was read or its signer known. */
  action: z.string().nullable(),
  resource: z.string().nullable(),
  /** The API operation, or the HTTP method of a Lattice request. */
  operation: z.string().nullable(),
  decision: z.enum(['Allow', 'Deny']),
  reason: z.string(),
  count: z.number().int().positive(),
});
export type ExercisedCall = z.infer<typeof ExercisedCallSchema>;
