import * as z from 'zod/mini';

/** One decision as the decision logs hold it; fields it does not know are kept out. */
export const DecisionSchema = z.object({
  kind: z.string(),
  decision: z.enum(['Allow', 'Deny']),
  principal: z.optional(z.string()),
  action: z.optional(z.string()),
  resource: z.optional(z.string()),
  policies: z._default(z.array(z.string()), []),
  reason: z.optional(z.string()),
  at: z.string(),
});
export type Decision = z.infer<typeof DecisionSchema> & { readonly logGroup: string };

/**
 * The decisions of some log messages, newest first, at most `limit`; a message that is not a
 * decision is left out.
 *
 * @example
 * ```ts
 * latestDecisions([{ logGroup: '/shop/decisions/iam', message }], 50)[0]?.decision; // 'Deny'
 * ```
 */
export const latestDecisions = (
  messages: readonly { readonly logGroup: string; readonly message: string }[],
  limit: number,
): Decision[] =>
  messages
    .flatMap(({ logGroup, message }) => {
      try {
        const parsed = DecisionSchema.safeParse(JSON.parse(message));
        return parsed.success ? [{ ...parsed.data, logGroup }] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, limit);
