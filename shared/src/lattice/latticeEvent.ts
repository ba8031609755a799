import * as z from 'zod/mini';

/**
 * The event a VPC Lattice target group with `lambdaEventStructureVersion: V2` sends to its
 * function: repeated headers and query parameters arrive as arrays, and the caller's identity is
 * in `requestContext.identity` once IAM authentication succeeded.
 */
export const LatticeEventV2Schema = z.object({
  version: z.literal('2.0'),
  path: z.string().check(z.startsWith('/')),
  method: z.string().check(z.minLength(1)),
  headers: z._default(z.record(z.string(), z.array(z.string())), {}),
  queryStringParameters: z.optional(z.record(z.string(), z.array(z.string()))),
  body: z.optional(z.string()),
  isBase64Encoded: z.optional(z.boolean()),
  requestContext: z.object({
    serviceNetworkArn: z.string(),
    serviceArn: z.string(),
    targetGroupArn: z.string(),
    identity: z._default(
      z.object({
        sourceVpcArn: z.optional(z.string()),
        type: z.optional(z.string()),
        principal: z.optional(z.string()),
        principalOrgID: z.optional(z.string()),
        sessionName: z.optional(z.string()),
      }),
      {},
    ),
    region: z.string(),
    timeEpoch: z.string(),
  }),
});
export type LatticeEventV2 = z.infer<typeof LatticeEventV2Schema>;

/** What a Lattice target function answers. */
export interface LatticeResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly isBase64Encoded: false;
}
