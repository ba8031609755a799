import { hostname } from 'node:os';
import { totpCode } from '@shop/local-cloud/cognito';
import { issueDevicePosture } from '@shop/local-cloud/verified-access';
import { shopTopology } from '@shop/topology';
import { SHOP_SERVICES } from '../services.js';
import {
  type ApiUrls,
  type RestAnswer,
  type ShopApiClient,
  type StaffEntry,
  settledOrder,
  signedInClient,
  signIn,
} from '../shopApi.js';
import { LOCAL_USERS } from '../users.js';
import { readDevicePosture, readDeviceTrustKey, writeDevicePosture } from './deviceTrustFiles.js';
import { localSettings } from './environment.js';
import type { Command } from './help.js';
import { readTotpSecrets } from './totpSecretsFile.js';

const settings = localSettings();
const pool = {
  region: settings.region,
  endpoint:
    process.env['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER'] ??
    `http://127.0.0.1:${settings.ports.cognito}`,
};
const urls: ApiUrls = Object.fromEntries(
  shopTopology(SHOP_SERVICES).restApis.map((api, index) => [
    api.service,
    `http://127.0.0.1:${settings.ports.api + index}`,
  ]),
);
/** Staff routes go through Verified Access, from this machine with its saved posture. */
const staff: StaffEntry = {
  url: `http://127.0.0.1:${settings.ports.verifiedAccess}`,
  devicePosture: readDevicePosture,
};

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

/** Issues this machine's posture as the Jamf agent would report it, prints it and saves it. */
const device = (state: string | undefined) => {
  if (state !== 'compliant' && state !== 'noncompliant') {
    console.error('Usage: npx shop device compliant|noncompliant');
    process.exitCode = 1;
    return;
  }
  const assertion = issueDevicePosture(readDeviceTrustKey(), {
    deviceId: `local-${hostname()}`,
    jamf: { risk: state === 'compliant' ? 'SECURE' : 'HIGH', osv: '15.1.0', groups: [] },
  });
  writeDevicePosture(assertion);
  console.log(assertion);
};

/**
 * Runs one of the CLI's commands (not `help`): signs in as `--as USER` and calls the REST APIs.
 *
 * @example
 * ```ts
 * await runCommand('place', ['MUG-001:2', '--card', 'tok_success']);
 * ```
 */
export const runCommand = async (command: Command, args: readonly string[]): Promise<void> => {
  const user = option(args, '--as', LOCAL_USERS.customer);
  const [operand] = operands(args);
  if (command === 'device') return device(operand);
  // Staff answer the pool's TOTP challenge with the codes of the running shop's secrets.
  const totpSecrets = readTotpSecrets();
  if (command === 'code') {
    // What the member of staff's authenticator app shows now, for the staff pool's managed login.
    const secret = totpSecrets[operand ?? user];
    if (secret === undefined) {
      console.error(`No authenticator secret for ${operand ?? user}: staff only (oscar, ada)`);
      process.exitCode = 1;
      return;
    }
    console.log(totpCode(secret));
    return;
  }
  if (command === 'token') {
    console.log(await signIn(pool, operand ?? user, totpSecrets));
    return;
  }
  const client = await signedInClient(pool, urls, user, totpSecrets, staff);
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
