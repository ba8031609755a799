import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CONSOLE_FUNCTION_NAME } from '@shop/console';
import { functionName, SERVICE_NAMES, type ServiceFunction } from '@shop/contracts';
import { FUNCTION_BUNDLING } from '@shop/service-stack';
import type { DeployedApp } from '@shop/topology';
import { App } from 'aws-cdk-lib';
import { type BuildOptions, build } from 'esbuild';
import { SHOP_SERVICES } from './shop.js';
import { env, shopStacks } from './stacks.js';

/** An AWS SDK client (or signer, or verifier) a function creates at init. */
export type SdkClient =
  | 'dynamodb'
  | 'sqs'
  | 'logs'
  | 'verifiedPermissions'
  | 'lattice'
  | 'identityTokens';

/**
 * The clients of the staff console's function, as of a staff function: what its role grants
 * (CloudWatch Logs' `FilterLogEvents`, SQS's `GetQueueAttributes`) and the staff token verifier.
 */
export const CONSOLE_CLIENTS: readonly SdkClient[] = ['logs', 'sqs', 'identityTokens'];

/** One synthesized function: its bundle, its environment and the clients its manifest grants it. */
export interface FunctionBundle {
  readonly service: DeployedApp;
  /** e.g. `order-api`. */
  readonly functionName: string;
  /** The handler module it is bundled from. */
  readonly entry: string;
  /** The synthesized `index.mjs`. */
  readonly code: string;
  /** Its environment as the template sets it (NODE_OPTIONS included), references made values. */
  readonly environment: Readonly<Record<string, string>>;
  readonly clients: readonly SdkClient[];
}

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The clients a function's declared access and trigger give it reason to create: a table,
 * idempotency records or deadlines are DynamoDB (and its document client); a queue trigger or the
 * dead-letter redrive SQS; `authorize` Verified Permissions; queries a SigV4 signer with the
 * Node credential chain; the API authorizer a Cognito token verifier.
 *
 * @example
 * ```ts
 * clientsOf(TOKEN_AUTHORIZER); // ['identityTokens']
 * ```
 */
export const clientsOf = (fn: ServiceFunction): SdkClient[] => {
  const { access, trigger } = fn;
  return [
    ...(access.table || access.idempotency || access.deadlines ? (['dynamodb'] as const) : []),
    ...(access.deadLetters || trigger === 'queue' ? (['sqs'] as const) : []),
    ...(access.authorize ? (['verifiedPermissions'] as const) : []),
    ...((access.queries?.length ?? 0) > 0 ? (['lattice'] as const) : []),
    ...(trigger === 'authorizer' || trigger === 'staff' ? (['identityTokens'] as const) : []),
  ];
};

/** Each client's imports and construction, as the shop's own code writes them. */
const CLIENT_CODE: Record<SdkClient, { imports: string; create: string }> = {
  dynamodb: {
    imports:
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
    create:
      'const dynamodb = new DynamoDBClient({});\nclients.push(dynamodb, DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }));',
  },
  sqs: {
    imports: "import { SQSClient } from '@aws-sdk/client-sqs';",
    create: 'clients.push(new SQSClient({ useQueueUrlAsEndpoint: false }));',
  },
  logs: {
    imports: "import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';",
    create: 'clients.push(new CloudWatchLogsClient({}));',
  },
  verifiedPermissions: {
    imports: "import { VerifiedPermissionsClient } from '@aws-sdk/client-verifiedpermissions';",
    create: 'clients.push(new VerifiedPermissionsClient({}));',
  },
  lattice: {
    imports:
      "import { defaultProvider } from '@aws-sdk/credential-provider-node';\nimport { Hash } from '@smithy/hash-node';\nimport { SignatureV4 } from '@smithy/signature-v4';",
    create:
      "clients.push(new SignatureV4({ service: 'vpc-lattice-svcs', region: process.env.AWS_REGION, credentials: defaultProvider(), sha256: Hash.bind(null, 'sha256') }));",
  },
  identityTokens: {
    imports: "import { CognitoJwtVerifier } from 'aws-jwt-verify';",
    create:
      // The API authorizer verifies the customer pool's tokens (and the staff pool's); a staff
      // function, the staff pool's only.
      "clients.push(CognitoJwtVerifier.create({ userPoolId: process.env.USER_POOL_ID ?? process.env.STAFF_USER_POOL_ID, tokenUse: 'id', clientId: process.env.USER_POOL_CLIENT_ID ?? process.env.STAFF_USER_POOL_CLIENT_ID }));",
  },
};

/**
 * The floor of a function: a handler that only imports and creates its clients.
 *
 * @example
 * ```ts
 * floorSource(['dynamodb', 'sqs']); // imports and creates DynamoDBClient, its document client, SQSClient
 * ```
 */
export const floorSource = (clients: readonly SdkClient[]): string =>
  [
    ...clients.map((client) => CLIENT_CODE[client].imports),
    'const clients = [];',
    ...clients.map((client) => CLIENT_CODE[client].create),
    'export const handler = async () => clients.length;',
  ].join('\n');

/**
 * esbuild options equal to the functions' bundling (`FUNCTION_BUNDLING`), for bundles built
 * outside a synthesis; `externalModules` overrides what is left to the runtime.
 *
 * @example
 * ```ts
 * await build({ ...functionBuildOptions(), entryPoints: [entry], outfile });
 * ```
 */
export const functionBuildOptions = (
  externalModules: readonly string[] = FUNCTION_BUNDLING.externalModules ?? [],
): BuildOptions => ({
  bundle: true,
  platform: 'node',
  target: FUNCTION_BUNDLING.target ?? 'node22',
  format: 'esm',
  minify: FUNCTION_BUNDLING.minify ?? false,
  sourcemap: FUNCTION_BUNDLING.sourceMap ?? false,
  external: [...externalModules],
  mainFields: [...(FUNCTION_BUNDLING.mainFields ?? [])],
  conditions: [String(FUNCTION_BUNDLING.esbuildArgs?.['--conditions'] ?? '')].filter(Boolean),
  banner: { js: FUNCTION_BUNDLING.banner ?? '' },
  logLevel: 'silent',
});

/**
 * Bundles a floor handler into `dir/index.mjs`, resolving packages from the repository.
 *
 * @example
 * ```ts
 * const code = await buildFloor(['dynamodb'], join(outdir, 'floor-order-events'));
 * ```
 */
export const buildFloor = async (
  clients: readonly SdkClient[],
  dir: string,
  externalModules?: readonly string[],
): Promise<string> => {
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'index.mjs');
  await build({ ...floorBuildOptions(clients, externalModules), outfile });
  return outfile;
};

/**
 * The esbuild options of a floor handler (its source as input, packages resolved from the
 * repository), for a build of one's own (with a metafile, say).
 *
 * @example
 * ```ts
 * const { metafile } = await build({ ...floorBuildOptions(['dynamodb']), outfile, metafile: true });
 * ```
 */
export const floorBuildOptions = (
  clients: readonly SdkClient[],
  externalModules?: readonly string[],
): BuildOptions => ({
  ...functionBuildOptions(externalModules),
  stdin: {
    contents: floorSource(clients),
    resolveDir: join(REPOSITORY_ROOT, 'shared'),
    loader: 'js',
  },
});

/** A value for a variable whose value the template leaves to a reference, of the variable's kind. */
const placeholder = (name: string): string => {
  if (name === 'USER_POOL_ID') return `${env.region}_Example1`;
  if (name === 'STAFF_USER_POOL_ID') return `${env.region}_Example2`;
  if (name === 'VERIFIED_ACCESS_INSTANCE_ARN') {
    return `arn:aws:ec2:${env.region}:${env.account}:verified-access-instance/vai-0123456789abcdef0`;
  }
  if (name.endsWith('QUEUE_URL_BASE'))
    return `https://sqs.${env.region}.amazonaws.com/${env.account}`;
  if (name.endsWith('QUEUE_URL')) {
    return `https://sqs.${env.region}.amazonaws.com/${env.account}/${name.toLowerCase()}`;
  }
  if (name.endsWith('_URL'))
    return `https://${name.toLowerCase().replaceAll('_', '-')}.example.com`;
  return `${name.toLowerCase().replaceAll('_', '-')}-1`;
};

interface TemplateFunction {
  readonly Type: string;
  readonly Properties: {
    readonly FunctionName?: string;
    readonly Code?: { readonly S3Key?: string };
    readonly Environment?: { readonly Variables?: Record<string, unknown> };
  };
}

/**
 * Synthesizes the three service apps and the console's into `outdir` with their functions
 * bundled (as `cdk synth` does, without the cdk-nag checks) and lists every function with its
 * bundle. The console's bundle has its built pages (`web/`) beside it, so the console must be
 * built first.
 *
 * @example
 * ```ts
 * for (const fn of synthesizeBundles(mkdtempSync('cdk.out.bundles-'))) statSync(fn.code).size;
 * ```
 */
export const synthesizeBundles = (outdir: string): FunctionBundle[] => {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': ['**'] } });
  const stacks = shopStacks(app, { env }, [...SERVICE_NAMES, 'console']);
  const assembly = app.synth();
  const bundleOf = (
    service: DeployedApp,
    name: string,
    entry: string,
    clients: readonly SdkClient[],
  ): FunctionBundle => {
    const template = assembly.getStackByName(stacks[service].stackName).template as {
      Resources: Record<string, TemplateFunction>;
    };
    const resource = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === name,
    );
    const key = resource?.Properties.Code?.S3Key;
    if (!key) throw new Error(`${name} is not in the ${service} template`);
    const variables = resource.Properties.Environment?.Variables ?? {};
    return {
      service,
      functionName: name,
      entry,
      code: join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'),
      environment: Object.fromEntries(
        Object.entries(variables).map(([variable, value]) => [
          variable,
          typeof value === 'string' ? value : placeholder(variable),
        ]),
      ),
      clients,
    };
  };
  return [
    ...SHOP_SERVICES.flatMap((manifest) =>
      Object.entries(manifest.functions).map(([handler, fn]) =>
        bundleOf(
          manifest.name,
          functionName(manifest.name, handler),
          join(REPOSITORY_ROOT, 'services', manifest.name, 'src', 'handlers', `${handler}.ts`),
          clientsOf(fn),
        ),
      ),
    ),
    bundleOf(
      'console',
      CONSOLE_FUNCTION_NAME,
      join(REPOSITORY_ROOT, 'infra', 'console', 'src', 'handlers', 'index.ts'),
      CONSOLE_CLIENTS,
    ),
  ];
};

/**
 * A port nothing listens on: the AWS endpoints of a function whose init must not call out.
 *
 * @example
 * ```ts
 * const endpoint = `http://127.0.0.1:${await closedPort()}`;
 * ```
 */
export const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('No port');
  return address.port;
};

/**
 * What Lambda adds to a function's own environment, with every AWS endpoint at `endpoint`.
 *
 * @example
 * ```ts
 * spawnSync(process.execPath, args, { env: { ...fn.environment, ...lambdaEnvironment(fn.functionName, endpoint) } });
 * ```
 */
export const lambdaEnvironment = (name: string, endpoint: string): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '',
  AWS_REGION: env.region,
  AWS_DEFAULT_REGION: env.region,
  AWS_LAMBDA_FUNCTION_NAME: name,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example',
  AWS_SESSION_TOKEN: 'example',
  AWS_ENDPOINT_URL: endpoint,
});

/**
 * Imports a bundle in a fresh Node process and reports how long the import took (module init:
 * to the handler being ready), in wall-clock and CPU time, and the sockets opened and host names looked up from the start of
 * the import until the process had nothing left to do.
 */
const INIT_PROBE = `
import net from 'node:net';
import dns from 'node:dns';
let connections = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) { connections += 1; return connect.apply(this, args); };
const lookup = dns.lookup;
dns.lookup = function (...args) { connections += 1; return lookup.apply(this, args); };
const start = performance.now();
const cpu = process.cpuUsage();
const module = await import(process.argv[1]);
const ms = performance.now() - start;
const { user, system } = process.cpuUsage(cpu);
const cpuMs = (user + system) / 1000;
if (typeof module.handler !== 'function') throw new Error('No handler exported');
process.on('beforeExit', () => {
  process.stdout.write(JSON.stringify({ ms, cpuMs, connections }));
  process.exit(0);
});
`;

/** What importing a bundle in a fresh process did. */
export interface InitProbe {
  /** Milliseconds from the start of the import to the handler being ready. */
  readonly ms: number;
  /** CPU milliseconds the process spent on it (all threads): what a loaded machine does not inflate. */
  readonly cpuMs: number;
  /** Sockets connected and host names looked up, from the import on. */
  readonly connections: number;
}

/**
 * Imports `code` in a fresh Node process with `environment` (NODE_OPTIONS included), as Lambda
 * loads a handler, and reports its init.
 *
 * @throws when the import fails or the process does not finish within `timeoutMs`.
 * @example
 * ```ts
 * const { ms, connections } = probeInit(fn.code, { ...fn.environment, ...lambdaEnvironment(name, endpoint) }, 30_000);
 * ```
 */
export const probeInit = (
  code: string,
  environment: Readonly<Record<string, string>>,
  timeoutMs: number,
): InitProbe => {
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', INIT_PROBE, pathToFileURL(code).href],
    { env: environment, encoding: 'utf8', timeout: timeoutMs },
  );
  if (run.status !== 0) {
    throw new Error(`Importing ${code} failed (${run.status ?? run.signal}): ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as InitProbe;
};

/**
 * Bytes of a bundle's code, without its source map.
 *
 * @example
 * ```ts
 * sizeOf(fn.code); // 714808
 * ```
 */
export const sizeOf = (code: string): number => statSync(code).size;

/** A function's budget: the size of its floor, and the most its code may weigh. */
export interface BundleBudget {
  readonly floorBytes: number;
  readonly maxBytes: number;
}

/**
 * The budgets of the functions' bundles, committed in `bundleBudgets.json` (written by
 * `npm run bench -- --write-budgets`).
 *
 * @example
 * ```ts
 * readBudgets()['order-api']; // { floorBytes: 167936, maxBytes: 437558 }
 * ```
 */
export const readBudgets = (): Readonly<Record<string, BundleBudget>> =>
  JSON.parse(readFileSync(new URL('./bundleBudgets.json', import.meta.url), 'utf8')).functions;

/** The most a function's code may weigh against its floor's: where it is reached, its budget. */
export const FLOOR_TARGET = 1.15;

/**
 * Writes the budgets file: each function of `sizes` may weigh `ratio` times what it weighs now,
 * and never less than `ratio` times its floor; a function at or under {@link FLOOR_TARGET} times
 * its floor no more than that; the budgets of `kept` are written as they are.
 *
 * @example
 * ```ts
 * writeBudgets(1.01, { 'order-api': { realBytes: 636416, floorBytes: 493362 } });
 * ```
 */
export const writeBudgets = (
  ratio: number,
  sizes: Readonly<Record<string, { readonly realBytes: number; readonly floorBytes: number }>>,
  kept: Readonly<Record<string, BundleBudget>> = {},
): void => {
  const budgetOf = (realBytes: number, floorBytes: number): number => {
    const measured = Math.ceil(ratio * Math.max(realBytes, floorBytes));
    const target = Math.floor(FLOOR_TARGET * floorBytes);
    return realBytes <= target ? Math.min(measured, target) : measured;
  };
  writeFileSync(
    new URL('./bundleBudgets.json', import.meta.url),
    `${JSON.stringify(
      {
        rule: `${ratio}x a function's code when the budget was written, and ${ratio}x its floor at least, but no more than ${FLOOR_TARGET}x its floor where it was within that; rewrite with npm run bench -- --write-budgets`,
        functions: {
          ...kept,
          ...Object.fromEntries(
            Object.entries(sizes).map(([name, { realBytes, floorBytes }]) => [
              name,
              { floorBytes, maxBytes: budgetOf(realBytes, floorBytes) },
            ]),
          ),
        },
      },
      null,
      2,
    )}\n`,
  );
};
