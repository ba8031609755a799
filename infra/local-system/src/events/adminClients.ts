import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Shop } from '../startShop.js';

/**
 * The local account administrator's SQS and EventBridge clients for a running shop: whoever runs
 * the shop watches its bus with them, as an operator would in AWS.
 *
 * @example
 * ```ts
 * const { sqs, eventBridge } = adminClients(shop);
 * const events = await observeBus(sqs, eventBridge, 'observer');
 * ```
 */
export const adminClients = (shop: Pick<Shop, 'environment' | 'iam'>) => {
  const { accessKeyId, secretAccessKey } = shop.iam.admin;
  const common = {
    region: String(shop.environment['AWS_REGION']),
    credentials: { accessKeyId, secretAccessKey },
    // An observer polls all the time: each command's handler is built once, not per call.
    cacheMiddleware: true,
  };
  return {
    sqs: new SQSClient({ ...common, endpoint: String(shop.environment['AWS_ENDPOINT_URL_SQS']) }),
    eventBridge: new EventBridgeClient({
      ...common,
      endpoint: String(shop.environment['AWS_ENDPOINT_URL_EVENTBRIDGE']),
    }),
  };
};
