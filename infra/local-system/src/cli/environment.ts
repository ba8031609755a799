import * as z from 'zod';

const PortSchema = z.coerce.number().int().min(0).max(65_535);

/**
 * The ports, region and services' log level of the local shop, from `LOCAL_*_PORT`, `AWS_REGION`
 * and `POWERTOOLS_LOG_LEVEL`, and where Verified Access forwards to instead of the staff load
 * balancer (`LOCAL_VERIFIED_ACCESS_UPSTREAM`).
 */
export const localSettings = (env: Readonly<Record<string, string | undefined>> = process.env) => {
  const settings = z
    .object({
      LOCAL_DYNAMODB_PORT: PortSchema.default(8000),
      LOCAL_SQS_PORT: PortSchema.default(4566),
      LOCAL_EVENTBRIDGE_PORT: PortSchema.default(4010),
      LOCAL_LAMBDA_PORT: PortSchema.default(4020),
      LOCAL_CARD_PROCESSOR_PORT: PortSchema.default(4030),
      LOCAL_LATTICE_PORT: PortSchema.default(4040),
      LOCAL_VERIFIED_PERMISSIONS_PORT: PortSchema.default(4050),
      LOCAL_API_PORT: PortSchema.default(4060),
      LOCAL_COGNITO_PORT: PortSchema.default(4070),
      LOCAL_VERIFIED_ACCESS_PORT: PortSchema.default(4080),
      LOCAL_LOGS_PORT: PortSchema.default(4100),
      LOCAL_VERIFIED_ACCESS_UPSTREAM: z.url().optional(),
      LOCAL_STAFF_LOAD_BALANCER_PORT: PortSchema.default(4090),
      AWS_REGION: z.string().default('eu-west-1'),
      POWERTOOLS_LOG_LEVEL: z
        .enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL'])
        .default('INFO'),
    })
    .parse(env);
  return {
    region: settings.AWS_REGION,
    logLevel: settings.POWERTOOLS_LOG_LEVEL,
    ports: {
      dynamodb: settings.LOCAL_DYNAMODB_PORT,
      sqs: settings.LOCAL_SQS_PORT,
      eventbridge: settings.LOCAL_EVENTBRIDGE_PORT,
      lambda: settings.LOCAL_LAMBDA_PORT,
      cardProcessor: settings.LOCAL_CARD_PROCESSOR_PORT,
      lattice: settings.LOCAL_LATTICE_PORT,
      verifiedPermissions: settings.LOCAL_VERIFIED_PERMISSIONS_PORT,
      api: settings.LOCAL_API_PORT,
      cognito: settings.LOCAL_COGNITO_PORT,
      verifiedAccess: settings.LOCAL_VERIFIED_ACCESS_PORT,
      logs: settings.LOCAL_LOGS_PORT,
      staffLoadBalancer: settings.LOCAL_STAFF_LOAD_BALANCER_PORT,
    },
    ...(settings.LOCAL_VERIFIED_ACCESS_UPSTREAM !== undefined && {
      verifiedAccessUpstream: settings.LOCAL_VERIFIED_ACCESS_UPSTREAM,
    }),
  };
};
