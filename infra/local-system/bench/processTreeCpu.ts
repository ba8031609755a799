import { readdirSync, readFileSync } from 'node:fs';

/** Linux's clock ticks per second for `/proc/<pid>/stat` times (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

interface ProcessStat {
  readonly pid: number;
  /** The executable's name, e.g. `node` or `java`. */
  readonly command: string;
  readonly parent: number;
  /** User and system time of every thread of the process, in clock ticks. */
  readonly ticks: number;
}

/** `/proc/<pid>/stat`, or nothing for a process that ended while it was read. */
const statOf = (pid: number): ProcessStat | undefined => {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: the fields after it count
  // from its closing parenthesis (state is field 3, the parent field 4, utime 14, stime 15).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    command: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
    parent: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
};

/**
 * The CPU time, in milliseconds, used so far by this process (all its threads) and every live
 * process descended from it, by executable: with a shop started in this process, that is the
 * shop, its worker threads and emulators (`node`) and DynamoDB Local's JVM (`java`). A descendant
 * that has ended is no longer counted, so call it around work during which none ends. Linux only
 * (`/proc`).
 *
 * @example
 * ```ts
 * const before = processTreeCpuMs();
 * await placeOrders();
 * console.log(cpuSince(before)); // { node: 5120, java: 2210 }
 * ```
 */
export const processTreeCpuMs = (root: number = process.pid): Record<string, number> => {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => statOf(Number(name)) ?? []);
  const children = new Map<number, ProcessStat[]>();
  for (const stat of stats) children.set(stat.parent, [...(children.get(stat.parent) ?? []), stat]);
  const self = stats.find((stat) => stat.pid === root);
  const ms: Record<string, number> = {};
  const pending = self === undefined ? [] : [self];
  for (let stat = pending.pop(); stat !== undefined; stat = pending.pop()) {
    ms[stat.command] = (ms[stat.command] ?? 0) + (stat.ticks * 1000) / CLOCK_TICKS_PER_SECOND;
    pending.push(...(children.get(stat.pid) ?? []));
  }
  return ms;
};

/**
 * The CPU used by the process tree since `before` (an earlier `processTreeCpuMs()`), in
 * milliseconds by executable.
 *
 * @example
 * ```ts
 * cpuSince(processTreeCpuMs()); // { node: 0, java: 0 }
 * ```
 */
export const cpuSince = (before: Readonly<Record<string, number>>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(processTreeCpuMs()).map(([command, ms]) => [
      command,
      ms - (before[command] ?? 0),
    ]),
  );
