import { shopTopology } from '@shop/topology';
import { SHOP_SERVICES } from '../services.js';
import {
  type ApiUrls,
  type RestAnswer,
  type ShopApiClient,
  settledOrder,
  signedInClient,
  signIn,
} from '../shopApi.js';
import { LOCAL_USERS } from '../users.js';
import { localSettings } from './environment.js';

const HELP = `Usage: npx shop <command> [--as USER]

Every command signs in to the local user pool as USER and calls the REST APIs with the user's
ID token: the API's authorizer checks the token, the service's Cedar policies decide.

  place SKU:QTY [SKU:QTY ...] [--card TOKEN]
                          place an order as USER (a customer) and wait until it is
                          CONFIRMED or CANCELLED
  show ORDER_ID           an order with its payment status (its customer, or staff)
  cancel ORDER_ID         cancel an order as its customer (stock released, charge refunded)
  stock SKU               a product; its stock counters too for staff (--as oscar)
  token [USERNAME]        print a user's ID token (default USER)
  help                    this text

  --as USER               alice (default), bob: customers; mallory: banned customer;
                          oscar: operator; ada: admin

Test card tokens: tok_success, tok_declined, tok_insufficient_funds,
tok_timeout (first answer lost, retried), tok_unavailable (processor down).
Runs against the shop that \`npm start\` runs: REST APIs at LOCAL_API_PORT (default 4060:
Order 4060, Inventory 4061, Payment 4062), user pool at LOCAL_COGNITO_PORT (default 4070).
With a token, call the REST APIs yourself:
  curl -H "Authorization: Bearer $(npx shop token alice)" http://127.0.0.1:4061/products`;

const settings = localSettings();
const pool = {
  region: settings.region,
  endpoint:
    process.env['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER'] ??
    `http://127.0.0.1:${settings.ports.cognito}`,
};
const urls = Object.fromEntries(
  shopTopology(SHOP_SERVICES).restApis.map((api, index) => [
    api.service,
    `http://127.0.0.1:${settings.ports.api + index}`,
  ]),
) as ApiUrls;

/** Prints a 2xx answer's body, or the refusal with its status; answers whether it was a 2xx. */
const print = (label: string, answer: RestAnswer<unknown>): boolean => {
  const ok = answer.status >= 200 && answer.status < 300;
  console.log(ok ? `${label}:` : `${label} refused (${answer.status}):`);
  console.log(JSON.stringify(answer.body, null, 2));
  if (!ok) process.exitCode = 1;
  return ok;
};

const option = (args: readonly string[], name: string, fallback: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};

/** The arguments that are neither an option nor an option's value. */
const operands = (args: readonly string[]) =>
  args.filter((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));

const stock = async (client: ShopApiClient, user: string, sku: string) => {
  if (!print(`product ${sku}`, await client.request('inventory', 'GET', `/products/${sku}`)))
    return;
  const counters = await client.request('inventory', 'GET', `/admin/products/${sku}/stock`);
  if (counters.status === 403) {
    console.log(`(stock counters are for staff, not ${user}: try --as ${LOCAL_USERS.operator})`);
    return;
  }
  print(`stock of ${sku}`, counters);
};

const place = async (client: ShopApiClient, user: string, args: readonly string[]) => {
  const lines = operands(args).map((arg) => {
    const [sku, quantity = '1'] = arg.split(':');
    return { sku, quantity: Number(quantity) };
  });
  const placed = await client.request('order', 'POST', '/orders', {
    lines,
    paymentToken: option(args, '--card', 'tok_success'),
  });
  if (placed.status !== 201) {
    print('order', placed);
    return;
  }
  const orderId = String(placed.body['orderId']);
  console.log(`order ${orderId} placed by ${user}, PENDING; waiting for the saga ...`);
  const began = performance.now();
  const settled = await settledOrder(client, orderId);
  console.log(
    `settled as ${settled.body?.status ?? 'unknown'} in ${Math.round(performance.now() - began)} ms\n`,
  );
  print('order', settled);
  for (const sku of new Set(lines.map((line) => String(line.sku)))) {
    print(`product ${sku}`, await client.request('inventory', 'GET', `/products/${sku}`));
  }
};

const run = async (command: string | undefined, args: readonly string[]) => {
  const user = option(args, '--as', LOCAL_USERS.customer);
  const [operand] = operands(args);
  if (command === 'token') {
    console.log(await signIn(pool, operand ?? user));
    return;
  }
  if (!['place', 'show', 'cancel', 'stock'].includes(String(command))) {
    console.log(HELP);
    return;
  }
  const client = await signedInClient(pool, urls, user);
  switch (command) {
    case 'place':
      return place(client, user, args);
    case 'show':
      print('order', await client.request('order', 'GET', `/orders/${operand}`));
      return;
    case 'cancel':
      print('order', await client.request('order', 'POST', `/orders/${operand}/cancel`));
      return;
    default:
      return stock(client, user, String(operand));
  }
};

const [command, ...args] = process.argv.slice(2);
try {
  await run(command, args);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  console.error('Is the shop running? Start it with `npm start`.');
  process.exitCode = 1;
}
