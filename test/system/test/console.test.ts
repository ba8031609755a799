import { mkdirSync } from 'node:fs';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { CONSOLE_FUNCTION_NAME } from '@shop/console';
import { totpCode } from '@shop/local-cloud/cognito';
import { issueDevicePosture, type JamfRisk } from '@shop/local-cloud/verified-access';
import { LOCAL_USERS, localPassword, signIn } from '@shop/local-system';
import { RECEIVES_EXHAUSTED } from '@shop/shared';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTACK,
  EUR,
  type Order,
  SETTLES_WITHIN,
  startTestShop,
  type TestShop,
} from './support.js';

/** Debian's Chromium (`.ci/run` installs it when it is absent). */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Where each page's screenshot goes: this test's output directory. */
const SCREENSHOTS = new URL('../test-results/console/', import.meta.url);

/**
 * This shop's receives before SQS moves a failed event to its DLQ: fewer than the topology's 5,
 * so an event the card processor's outage fails dead-letters in seconds, not a minute.
 */
const MAX_RECEIVES = 3;
/**
 * How long an event failing every time may take to reach its DLQ: the consumers' back-off after
 * each receive (`retryDelaySeconds`: 2, 4, 8 s at most), on top of what any state the saga reaches
 * by itself may take (the events reaching Payment, its pollers' own back-off after a failure).
 */
const DEAD_LETTERED_WITHIN = {
  timeout:
    SETTLES_WITHIN.timeout +
    Array.from({ length: MAX_RECEIVES }, (_, n) => Math.min(900, 2 ** Math.max(1, n + 1))).reduce(
      (sum, seconds) => sum + seconds * 1000,
      0,
    ),
  interval: SETTLES_WITHIN.interval,
} as const;

let t: TestShop;
let browser: Browser;

beforeAll(async () => {
  t = await startTestShop({
    catalogue: [{ sku: 'MUG-001', name: 'Mug', unitPrice: EUR(1299), available: 50 }],
    settings: { maxReceiveCount: MAX_RECEIVES },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const posture = (risk: JamfRisk) =>
  issueDevicePosture(t.shop.deviceTrustKey, {
    deviceId: `laptop-${risk.toLowerCase()}`,
    jamf: { risk, osv: '15.1.0', groups: [] },
  });

const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true });

/**
 * Opens the console in a new browser as a person does (ADR 0026): the device's posture pasted
 * at Verified Access's device page, where the browser extension would hand it over; then the
 * navigation to the console lands on the staff pool's managed login, which takes the username,
 * the password and the authenticator app's code, and goes back through Verified Access to the
 * console, whose page signs itself in at once, silently.
 */
const signedInPage = async (username: string, risk: JamfRisk): Promise<Page> => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${t.shop.verifiedAccess.url}/_va/device?next=/console/`);
  await page.fill('textarea[name=posture]', posture(risk));
  await page.click('button[type=submit]');
  await page.waitForURL(/\/login\?/);
  await page.fill('#username', username);
  await page.fill('#password', localPassword(username));
  await page.click('button[type=submit]');
  await page.fill('#code', totpCode(String(t.shop.totpSecrets[username])));
  await page.click('button[type=submit]');
  return page;
};

const deadLetterQueue = (service: string) => {
  const consumer = t.shop.cloud.consumers.find((c) => c.service === service);
  if (consumer === undefined) throw new Error(`No consumer ${service}`);
  return consumer;
};

/** How many messages a queue holds, waiting or in flight (a failed event waiting to be retried). */
const inQueue = async (queueUrl: string): Promise<number> => {
  const { Attributes } = await t.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};

/** A message no consumer can ever read: not JSON. */
const MALFORMED = '{"source": "shop.order", ';

describe('the staff console, through Verified Access, in a browser', () => {
  it('shows an Operator on a compliant device the service map with live counts', async () => {
    const page = await signedInPage(LOCAL_USERS.operator, 'SECURE');
    await page.waitForSelector('[data-testid=service-map] [data-service=payment]');
    // Counted by the console's own role through SQS: a number, where an unread queue shows '?'.
    await page.waitForSelector('[data-queue="payment-events-dlq"] [data-count=dead]');
    expect(await page.textContent('[data-queue="payment-events-dlq"] [data-count=dead]')).toMatch(
      /^\d+ dead$/,
    );
    expect(await page.textContent('[data-queue="order-events"] [data-count=waiting]')).toMatch(
      /^\d+ waiting$/,
    );
    expect(await page.locator('[data-testid=service-map] [data-service]').count()).toBe(3);
    expect(await page.textContent('#who')).toContain('Operators');
    await screenshot(page, 'map');
    await page.context().close();
  });

  it('shows an order’s saga from the bus’s audit log, in order, with its consumers', async () => {
    const order = await t.settledOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_success');
    const page = await signedInPage(LOCAL_USERS.operator, 'SECURE');
    await page.waitForSelector('[data-testid=service-map]');
    await page.goto(`${t.shop.verifiedAccess.url}/console/#/timeline/${order.orderId}`);
    await expect
      .poll(async () => {
        await page.reload();
        await page.waitForSelector('[data-testid=outcome]');
        return page.textContent('[data-testid=outcome]');
      }, SETTLES_WITHIN)
      .toContain('confirmed');
    const rows = await page
      .locator('[data-testid=timeline] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event')));
    expect(rows[0]).toBe('OrderPlaced');
    expect(rows.at(-1)).toBe('OrderConfirmed');
    expect(rows).toContain('PaymentSucceeded');
    await screenshot(page, 'timeline');

    await page.goto(`${t.shop.verifiedAccess.url}/console/#/decisions`);
    await page.waitForSelector('[data-testid=decisions] tbody tr');
    await screenshot(page, 'decisions');
    await page.context().close();
  });

  it('gives a member of staff on a non-compliant device the Verified Access denial page', async () => {
    const page = await signedInPage(LOCAL_USERS.operator, 'HIGH');
    await page.waitForSelector('text=Access denied');
    expect(await page.textContent('body')).not.toContain('oscar');
    await screenshot(page, 'denied-device');
    await page.context().close();
  });

  it('refuses an Operator’s redrive with the service’s 403; once the outage ends, an Admin’s empties the DLQ and the saga completes', async () => {
    // The card processor goes down: Payment's charge finds nothing there, takes it as "no
    // answer" (not a decline), retries the event until SQS moves it to Payment's DLQ.
    const payment = deadLetterQueue('payment');
    await t.shop.cardProcessor.suspend();
    let order: Order;
    let dead: string[];
    try {
      order = await t.placeOrder([{ sku: 'MUG-001', quantity: 1 }], 'tok_success');
      const orderId = order.orderId;
      const deadOfOrder = async () => {
        const { Messages = [] } = await t.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: payment.deadLetterQueue.url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 0,
          }),
        );
        return Messages.filter((m) => m.Body?.includes(orderId)).map((m) => String(m.MessageId));
      };
      // Dead letters of the order, and none of its events left to retry in Payment's queue.
      await expect
        .poll(
          async () => ((await inQueue(payment.queue.url)) === 0 ? (await deadOfOrder()).length : 0),
          DEAD_LETTERED_WITHIN,
        )
        .toBeGreaterThan(0);
      dead = await deadOfOrder();
      expect(await t.payment(orderId)).toMatchObject({ status: 'CHARGING' });
      expect((await t.order(orderId)).status).toBe('PENDING');

      const operator = await signedInPage(LOCAL_USERS.operator, 'SECURE');
      await operator.waitForSelector('[data-testid=service-map]');
      await operator.goto(`${t.shop.verifiedAccess.url}/console/#/dead-letters`);
      for (const messageId of dead) {
        await operator.waitForSelector(`[data-service=payment] [data-message="${messageId}"]`);
        expect(
          await operator.textContent(
            `[data-service=payment] [data-message="${messageId}"] .reason`,
          ),
        ).toBe(RECEIVES_EXHAUSTED);
      }
      await screenshot(operator, 'dead-letters-before');
      await operator.click('[data-redrive=payment]');
      await operator.waitForSelector('[data-service=payment] .redrive-outcome.refused');
      expect(await operator.textContent('[data-service=payment] .redrive-outcome')).toContain(
        '403',
      );
      await screenshot(operator, 'dead-letters-operator');
      await operator.context().close();
      expect(await deadOfOrder()).toEqual(expect.arrayContaining(dead));
    } finally {
      await t.shop.cardProcessor.resume();
    }

    // The outage is over: the Admin's redrive puts the events back, and the charge goes through.
    const admin = await signedInPage(LOCAL_USERS.admin, 'SECURE');
    await admin.waitForSelector('[data-testid=service-map]');
    await admin.goto(`${t.shop.verifiedAccess.url}/console/#/dead-letters`);
    await admin.waitForSelector('[data-service=payment] [data-message]');
    await admin.click('[data-redrive=payment]');
    await admin.waitForSelector('[data-service=payment] .redrive-outcome.ok');
    // Only this test dead-letters in Payment: every letter there is one of this order's.
    expect(await admin.textContent('[data-service=payment] .redrive-outcome')).toContain(
      `"moved":${dead.length}`,
    );
    await screenshot(admin, 'dead-letters-admin');
    await expect
      .poll(async () => {
        await admin.reload();
        await admin.waitForSelector('[data-service=payment] [data-count]');
        return admin.getAttribute('[data-service=payment] [data-count]', 'data-count');
      }, SETTLES_WITHIN)
      .toBe('0');
    await screenshot(admin, 'dead-letters-after');

    await admin.goto(`${t.shop.verifiedAccess.url}/console/#/timeline/${order.orderId}`);
    await expect
      .poll(async () => {
        await admin.reload();
        await admin.waitForSelector('[data-testid=outcome]');
        return admin.textContent('[data-testid=outcome]');
      }, SETTLES_WITHIN)
      .toContain('confirmed');
    await screenshot(admin, 'timeline-after-redrive');
    await admin.context().close();
    expect((await t.settled(order.orderId)).status).toBe('CONFIRMED');
    expect(t.capturedCharges(order.orderId)).toHaveLength(1);
    expect(await inQueue(payment.deadLetterQueue.url)).toBe(0);
  });

  it('shows the reason a consumer gave for a message it can never read; redriven, it comes back as a new dead letter', async () => {
    // A message no consumer can ever read: Inventory moves it to its DLQ with the reason.
    const inventory = deadLetterQueue('inventory');
    await t.sqs.send(
      new SendMessageCommand({ QueueUrl: inventory.queue.url, MessageBody: MALFORMED }),
    );
    // Its dead letters: the first names the message sent, each later one the copy redriven.
    const deadCopies = async () => {
      const { Messages = [] } = await t.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: inventory.deadLetterQueue.url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
        }),
      );
      return Messages.filter((m) => m.Body === MALFORMED).map((m) => String(m.MessageId));
    };
    await expect.poll(deadCopies, SETTLES_WITHIN).toHaveLength(1);
    const [before] = await deadCopies();

    const admin = await signedInPage(LOCAL_USERS.admin, 'SECURE');
    await admin.waitForSelector('[data-testid=service-map]');
    await admin.goto(`${t.shop.verifiedAccess.url}/console/#/dead-letters`);
    await admin.waitForSelector(`[data-service=inventory] [data-message="${before}"]`);
    expect(
      await admin.textContent(`[data-service=inventory] [data-message="${before}"] .reason`),
    ).toContain('not valid JSON');
    await admin.click('[data-redrive=inventory]');
    await admin.waitForSelector('[data-service=inventory] .redrive-outcome.ok');
    expect(await admin.textContent('[data-service=inventory] .redrive-outcome')).toContain(
      '"moved":1',
    );
    await screenshot(admin, 'dead-letters-malformed');
    await admin.context().close();
    // The DLQ gave it up to Inventory's queue; a message no consumer can read comes back as a
    // new dead letter, never as the one that was redriven.
    await expect
      .poll(async () => {
        const copies = await deadCopies();
        return copies.length === 1 && !copies.includes(String(before));
      }, SETTLES_WITHIN)
      .toBe(true);
  });

  it('refuses a customer: the staff managed login does not know them, the API refuses their token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.shop.verifiedAccess.url}/console/`);
    await page.waitForURL(/\/login\?/);
    await page.fill('#username', LOCAL_USERS.customer);
    await page.fill('#password', localPassword(LOCAL_USERS.customer));
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    expect(await page.textContent('[role=alert]')).toContain('Incorrect username or password.');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('[data-testid=service-map]').count()).toBe(0);
    const customerToken = await signIn(
      { region: 'eu-west-1', endpoint: t.shop.cognito.endpoint },
      LOCAL_USERS.customer,
    );
    const api = await page.request.get(`${t.shop.verifiedAccess.url}/console/api/map`, {
      headers: { authorization: `Bearer ${customerToken}` },
    });
    expect(api.status()).toBe(403);
    expect(await api.text()).not.toContain('queues');
    await screenshot(page, 'customer-refused-by-the-staff-sign-in');
    await context.close();
  });
});

describe('the console function’s role', () => {
  it('counts messages, and may not touch a table or a message', { tags: ATTACK }, async () => {
    const keys = t.shop.credentialsOf(CONSOLE_FUNCTION_NAME);
    const credentials = { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey };
    const region = 'eu-west-1';
    const sqs = new SQSClient({
      region,
      endpoint: String(t.shop.environment['AWS_ENDPOINT_URL_SQS']),
      credentials,
      maxAttempts: 1,
    });
    const dynamodb = new DynamoDBClient({
      region,
      endpoint: String(t.shop.environment['AWS_ENDPOINT_URL_DYNAMODB']),
      credentials,
      maxAttempts: 1,
    });
    const queueUrl = deadLetterQueue('payment').deadLetterQueue.url;
    await expect(
      sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] })),
    ).resolves.toBeDefined();
    await expect(
      dynamodb.send(
        new GetItemCommand({ TableName: 'shop-order', Key: { pk: { S: 'x' }, sk: { S: 'x' } } }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' })),
    ).rejects.toMatchObject({ name: expect.stringMatching(/AccessDenied/) });
    sqs.destroy();
    dynamodb.destroy();
  });
});
