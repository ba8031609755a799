import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` as a person runs it, less the build its root script runs first (`turbo run build`,
 * which must not race the build of the test run): `npm run start -w @shop/local-system`, with the
 * shop's ports moved by `LOCAL_*_PORT`, stopped by a signal to the npm process only (as a process
 * manager or `kill` sends it, not a terminal's Ctrl-C, which reaches every process of the group).
 */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** Within the system tests' test timeout: a cold DynamoDB Local on a busy 2-core machine is slow. */
const START_BUDGET_MS = 150_000;
/** The shop gives each service process 10 s to finish its batches before it kills it. */
const STOP_BUDGET_MS = 60_000;
/** Below the kernel's ephemeral range (32768 and up), so no outgoing connection takes them meanwhile. */
const PORT_RANGE = { from: 20_000, to: 32_000 };
const PORTS_NEEDED = 16;

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** The first of `count` consecutive free loopback ports, from a random start. */
const freePorts = async (count: number): Promise<number> => {
  for (;;) {
    const first =
      PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from - count));
    const ports = Array.from({ length: count }, (_, index) => first + index);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return first;
  }
};

interface ProcessInfo {
  readonly pid: number;
  readonly command: string;
}

/** Every process below `pid` (children, grandchildren, ...), read from /proc. */
const descendants = (pid: number): ProcessInfo[] => {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended while it was being read.
    }
  }
  const found: ProcessInfo[] = [];
  const visit = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      try {
        const command = readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' ');
        found.push({ pid: child, command });
      } catch {
        continue;
      }
      visit(child);
    }
  };
  visit(pid);
  return found;
};

const isRunning = (pid: number) => {
  try {
    // A zombie is dead; only its parent has not read its status yet.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const until = async (condition: () => boolean | Promise<boolean>, budgetMs: number) => {
  const deadline = Date.now() + budgetMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Not within ${budgetMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

let npm: ChildProcess | undefined;
let tree: ProcessInfo[] = [];
afterAll(() => {
  // A failed test leaves nothing behind either.
  for (const { pid } of tree) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  npm?.kill('SIGKILL');
});

describe('npm start', () => {
  it('listens where LOCAL_*_PORT says and leaves no process behind when npm gets SIGTERM', async () => {
    const first = await freePorts(PORTS_NEEDED);
    const ports = {
      LOCAL_DYNAMODB_PORT: first,
      LOCAL_SQS_PORT: first + 1,
      LOCAL_EVENTBRIDGE_PORT: first + 2,
      LOCAL_LAMBDA_PORT: first + 3,
      LOCAL_CARD_PROCESSOR_PORT: first + 4,
      LOCAL_LATTICE_PORT: first + 5, // and + 6
      LOCAL_VERIFIED_PERMISSIONS_PORT: first + 7,
      LOCAL_API_PORT: first + 8, // and + 9, + 10 (Payment has no REST API, and leaves it free)
      LOCAL_COGNITO_PORT: first + 11,
      LOCAL_VERIFIED_ACCESS_PORT: first + 12, // and + 13, its public keys
      LOCAL_LOGS_PORT: first + 14,
      LOCAL_STAFF_LOAD_BALANCER_PORT: first + 15,
    };
    let output = '';
    npm = spawn('npm', ['run', 'start', '--silent', '--workspace=@shop/local-system'], {
      cwd: REPO,
      env: {
        ...process.env,
        ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
        POWERTOOLS_LOG_LEVEL: 'WARN',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [npm.stdout, npm.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
    }
    const { pid } = npm;
    if (pid === undefined) throw new Error('npm did not start');

    await until(
      () => output.includes('The shop is ready') || npm?.exitCode !== null,
      START_BUDGET_MS,
    );
    expect(output, output).toContain('The shop is ready');

    // Inventory's REST API, the second of LOCAL_API_PORT's: it answers, and asks who is calling.
    const products = await fetch(`http://127.0.0.1:${ports.LOCAL_API_PORT + 1}/products`);
    expect(products.status).toBe(401);
    expect(output).toContain(`http://127.0.0.1:${ports.LOCAL_COGNITO_PORT}`);
    // Verified Access, on the first screen: nobody without a token reaches the staff upstream.
    expect(output).toContain(`http://127.0.0.1:${ports.LOCAL_VERIFIED_ACCESS_PORT}`);
    expect(output).toContain(`CloudWatch Logs at http://127.0.0.1:${ports.LOCAL_LOGS_PORT}:`);
    // The staff console's URL, behind Verified Access: a browser without a token is sent to sign in.
    expect(output).toContain(`http://127.0.0.1:${ports.LOCAL_VERIFIED_ACCESS_PORT}/console/`);
    const staff = await fetch(`http://127.0.0.1:${ports.LOCAL_VERIFIED_ACCESS_PORT}/`);
    expect(staff.status).toBe(403);
    // The staff load balancer behind it: a path no rule claims is its fixed 404.
    expect(output).toContain(`http://127.0.0.1:${ports.LOCAL_STAFF_LOAD_BALANCER_PORT}`);
    const nowhere = await fetch(`http://127.0.0.1:${ports.LOCAL_STAFF_LOAD_BALANCER_PORT}/`);
    expect(nowhere.status).toBe(404);

    tree = descendants(pid);
    expect(tree.some(({ command }) => command.startsWith('java '))).toBe(true);
    expect(tree.filter(({ command }) => command.includes('serviceHost'))).toHaveLength(3);

    // 'close', not 'exit': the output its descendants wrote to the shared pipes is all read then.
    const exited = new Promise((resolve) => npm?.once('close', resolve));
    process.kill(pid, 'SIGTERM');
    await exited;
    await until(() => tree.every(({ pid: one }) => !isRunning(one)), STOP_BUDGET_MS);
    expect(output).toContain('[shop] stopped');
    expect(tree.filter(({ pid: one }) => isRunning(one))).toEqual([]);
  });
});
