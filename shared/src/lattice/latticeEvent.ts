import * as z from 'zod';

/**
 * The event a VPC Lattice target group with `lambdaEventStructureVersion: V2` sends to its
 * function: repeated headers and query parameters arrive as arrays, and the caller's identity is
 * in `requestContext.identity` once IAM authentication succeeded.
 */
export const LatticeEventV2Schema = z.object({
  version: z.literal('2.0'),
  path: z.string().startsWith('/'),
  method: z.string().min(1),
  headers: z.record(z.string(), z.array(z.string())).default({}),
  queryStringParameters: z.record(z.string(), z.array(z.string())).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
  requestContext: z.object({
    serviceNetworkArn: z.string(),
    serviceArn: z.string(),
    targetGroupArn: z.string(),
    identity: z
      .object({
        sourceVpcArn: z.string().optional(),
        type: z.string().optional(),
        principal: z.string().optional(),
        principalOrgID: z.string().optional(),
        sessionName: z.string().optional(),
      })
      .default({}),
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
