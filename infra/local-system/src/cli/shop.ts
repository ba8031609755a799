import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_CREDENTIALS } from '@shop/local-cloud';
import { invoke, settledOrder } from '../invoke.js';
import { functionOf, inventoryService, orderService, paymentService } from '../services.js';
import { LOCAL_USER_POOL, localPassword } from '../users.js';
import { localSettings } from './environment.js';

const HELP = `Usage: npx shop <command>

  place SKU:QTY [SKU:QTY ...] [--card TOKEN] [--customer ID]
                          place an order and wait until it is CONFIRMED or CANCELLED
  show ORDER_ID           the order and its payment
  cancel ORDER_ID         cancel an order as its customer (stock released, charge refunded)
  stock SKU               a product and its stock
  token USERNAME          sign in to the local user pool and print the user's ID token
                          (alice, bob: customers; mallory: banned; oscar: operator; ada: admin)
  help                    this text

Test card tokens: tok_success, tok_declined, tok_insufficient_funds,
tok_timeout (first answer lost, retried), tok_unavailable (processor down).
Runs against the shop that \`npm start\` runs (LOCAL_LAMBDA_PORT, default 4020).
With a token, call the REST APIs (Order 4060, Inventory 4061, Payment 4062):
  curl -H "Authorization: Bearer $(npx shop token alice)" http://127.0.0.1:4061/products`;

const settings = localSettings();
const lambda = new LambdaClient({
  region: settings.region,
  credentials: LOCAL_CREDENTIALS,
  endpoint: process.env['AWS_ENDPOINT_URL_LAMBDA'] ?? `http://127.0.0.1:${settings.ports.lambda}`,
});

type Result = { ok: true; value: Record<string, unknown> } | { ok: false; error: unknown };
const call = async (functionName: string, payload: unknown) =>
  (await invoke(lambda, functionName, payload)) as Result;
const print = (label: string, result: Result) =>
  console.log(`${label}:`, JSON.stringify(result.ok ? result.value : result.error, null, 2));

const option = (args: string[], name: string, fallback: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};

const show = async (orderId: string, skus: readonly string[]) => {
  print('order', await call(functionOf(orderService, 'getOrder'), { orderId }));
  print('payment', await call(functionOf(paymentService, 'getPayment'), { orderId }));
  for (const sku of skus)
    print(`stock of ${sku}`, await call(functionOf(inventoryService, 'getProduct'), { sku }));
};

const [command, ...args] = process.argv.slice(2);
try {
  switch (command) {
    case 'place': {
      const lines = args
        .filter((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'))
        .map((arg) => {
          const [sku, quantity = '1'] = arg.split(':');
          return { sku, quantity: Number(quantity) };
        });
      const placed = await call(functionOf(orderService, 'placeOrder'), {
        customerId: option(args, '--customer', 'customer-1'),
        lines,
        paymentToken: option(args, '--card', 'tok_success'),
      });
      if (!placed.ok) {
        print('refused', placed);
        process.exitCode = 1;
        break;
      }
      const orderId = String(placed.value['orderId']);
      console.log(`order ${orderId} placed, PENDING; waiting for the saga ...`);
      const began = performance.now();
      const settled = await settledOrder(lambda, orderId);
      console.log(
        `settled as ${settled.ok ? settled.value['status'] : 'unknown'} in ${Math.round(performance.now() - began)} ms\n`,
      );
      await show(orderId, [...new Set(lines.map((line) => String(line.sku)))]);
      break;
    }
    case 'show':
      await show(String(args[0]), []);
      break;
    case 'cancel':
      print('order', await call(functionOf(orderService, 'cancelOrder'), { orderId: args[0] }));
      break;
    case 'stock':
      print('product', await call(functionOf(inventoryService, 'getProduct'), { sku: args[0] }));
      break;
    case 'token': {
      const username = String(args[0]);
      const cognito = new CognitoIdentityProviderClient({
        region: settings.region,
        credentials: LOCAL_CREDENTIALS,
        endpoint:
          process.env['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER'] ??
          `http://127.0.0.1:${settings.ports.cognito}`,
      });
      const { AuthenticationResult } = await cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: LOCAL_USER_POOL.clientId,
          AuthParameters: { USERNAME: username, PASSWORD: localPassword(username) },
        }),
      );
      console.log(AuthenticationResult?.IdToken);
      break;
    }
    default:
      console.log(HELP);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error('Is the shop running? Start it with `npm start`.');
  process.exitCode = 1;
}
