import { randomUUID } from 'node:crypto';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { type DecisionLogMessage, orderTimelinePattern, SHOP_LOG_GROUPS } from '@shop/contracts';
import { LOCAL_USERS } from '@shop/local-system';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EUR, SETTLES_WITHIN, startTestShop, type TestShop } from './support.js';

let t: TestShop;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  t = await startTestShop({
    catalogue: [{ sku: 'MUG-001', name: 'Mug', unitPrice: EUR(1299), available: 10 }],
    shared: true,
  });
  // The local administrator reads the logs, signed, through CloudWatch Logs' IAM front.
  const { accessKeyId, secretAccessKey } = t.shop.iam.admin;
  logs = new CloudWatchLogsClient({
    region: String(t.shop.environment['AWS_REGION']),
    endpoint: String(t.shop.environment['AWS_ENDPOINT_URL_CLOUDWATCH_LOGS']),
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  logs?.destroy();
  await t?.stop();
});

const messages = async (logGroupName: string, filterPattern: string) => {
  const { events = [] } = await logs.send(
    new FilterLogEventsCommand({ logGroupName, filterPattern }),
  );
  return events.map((event) => JSON.parse(String(event.message)));
};

const decisions = (kind: keyof typeof SHOP_LOG_GROUPS.decisions, filterPattern: string) =>
  messages(SHOP_LOG_GROUPS.decisions[kind], filterPattern) as Promise<DecisionLogMessage[]>;

describe('the logs the staff console reads, through CloudWatch Logs', () => {
  it("finds an order's saga in the bus's audit log with one FilterLogEvents call, in order", async () => {
    const order = await t.settledOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_success');
    expect(order.status).toBe('CONFIRMED');

    const saga = ['OrderConfirmed v1'];
    const timeline = async () =>
      (await messages(SHOP_LOG_GROUPS.audit, orderTimelinePattern(order.orderId))).map(
        (event) => `${event['detail-type']} v${event.detail.metadata.version}`,
      );
    // The bus writes to the log as it delivers to the queues: the last event may still be on its way.
    await expect.poll(async () => (await timeline()).at(-1), SETTLES_WITHIN).toBe(saga[0]);
    const seen = await timeline();
    expect(seen.slice(0, 2).sort()).toEqual(['OrderPlaced v1', 'OrderPlaced v2']);
    expect(seen.slice(2)).toEqual([
      'InventoryReserved v1',
      'PaymentSucceeded v1',
      'OrderConfirmed v1',
    ]);
  });

  it('writes a Cedar denial to the Verified Permissions decision log', async () => {
    const orderId = randomUUID();
    // Verified Access lets an Operator on a compliant device through; Payment's Cedar says no.
    const operator = await t.shop.as(LOCAL_USERS.operator);
    const refused = await operator.request('payment', 'GET', `/admin/payments/${orderId}`);
    expect(refused.status).toBe(403);

    const denials = await decisions(
      'verified-permissions',
      `{ $.decision = "Deny" && $.resource = "Shop::Payment::*${orderId}*" }`,
    );
    expect(denials).toEqual([
      {
        kind: 'verified-permissions',
        decision: 'Deny',
        principal: expect.stringMatching(/^Shop::User::/),
        action: expect.stringMatching(/^Shop::Action::/),
        resource: `Shop::Payment::"${orderId}"`,
        policies: [],
        reason: 'NoPermitMatched',
        at: expect.any(String),
      },
    ]);
  });

  it("writes a request without a token to the authorizers' decision log", async () => {
    const path = `/orders/${randomUUID()}`;
    const refused = await fetch(`${t.shop.apiUrls.order}${path}`);
    expect(refused.status).toBe(401);

    const denials = await decisions('authorizers', `{ $.resource = "*/GET${path}" }`);
    expect(denials).toEqual([
      {
        kind: 'authorizers',
        decision: 'Deny',
        principal: 'anonymous',
        action: 'execute-api:Invoke',
        resource: expect.stringMatching(new RegExp(`^arn:aws:execute-api:.*/GET${path}$`)),
        policies: [],
        reason: 'Unauthorized',
        at: expect.any(String),
      },
    ]);
  });

  it("writes Verified Access's refusal of a request without a token to its decision log", async () => {
    const path = `/order/admin/orders/${randomUUID()}`;
    const refused = await fetch(`${t.shop.verifiedAccess.url}${path}`);
    expect(refused.status).toBe(403);

    const denials = await decisions('verified-access', `{ $.action = "GET ${path}" }`);
    expect(denials).toMatchObject([
      { kind: 'verified-access', decision: 'Deny', principal: 'anonymous', policies: [] },
    ]);
    expect(denials[0]?.reason).toMatch(/^NoIdentityToken/);
  });

  it('writes each IAM decision, this very read of the logs included, to the IAM decision log', async () => {
    const reads = await decisions(
      'iam',
      `{ $.action = "logs:FilterLogEvents" && $.resource = "*:log-group:${SHOP_LOG_GROUPS.decisions.iam}:*" }`,
    );
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]).toMatchObject({
      kind: 'iam',
      decision: 'Allow',
      principal: expect.stringContaining(':assumed-role/shop-local-admin/'),
      reason: 'IdentityPolicy',
    });
  });
});
