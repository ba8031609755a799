/** Where the status goes: a terminal (rewritten in place) or anything else (a log, CI). */
interface Output {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const READY = /^(?<part>.+) ready in (?<ms>\d+) ms$/;
/** Back to the line's start, and erase it (ECMA-48 EL 2). */
const ERASE_LINE = '\r\u001b[2K';

/**
 * The start-up's progress: on a terminal, one line rewritten in place as parts start, erased when
 * the shop is ready, so the first screen is the summary; elsewhere a line per step, where what
 * starts is said only in the first. Either way it remembers how long each part took.
 *
 * @example
 * const status = startupStatus(process.stdout, (line) => console.log(`[shop] ${line}`));
 * status.progress('DynamoDB Local ready in 2310 ms');
 * status.done();
 * status.slowest(1); // 'DynamoDB Local 2.3 s'
 */
export const startupStatus = (output: Output, log: (line: string) => void) => {
  const parts: { readonly part: string; readonly ms: number }[] = [];
  let shown = false;
  let first = true;
  const erase = () => {
    if (shown) output.write(ERASE_LINE);
    shown = false;
  };
  return {
    progress: (line: string) => {
      const ready = READY.exec(line)?.groups;
      if (ready?.['part'] !== undefined)
        parts.push({ part: ready['part'], ms: Number(ready['ms']) });
      if (output.isTTY) {
        output.write(`${ERASE_LINE}[shop] ${line}`);
        shown = true;
      } else if (first || !line.startsWith('starting ')) {
        log(line);
      }
      first = false;
    },
    /** A line of its own, above the status line. */
    print: (line: string) => {
      erase();
      output.write(`${line}\n`);
    },
    done: erase,
    /** The `count` slowest parts, slowest first: where the start-up's time went. */
    slowest: (count: number) =>
      [...parts]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, count)
        .map(({ part, ms }) => `${part} ${(ms / 1000).toFixed(1)} s`)
        .join(', '),
  };
};
