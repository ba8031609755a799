import type { FuzzAnswer, FuzzReport } from './runFuzz.js';

/** Where an answer came from, as a column of the table: `order`, `staff payment`, `lattice inventory`, ... */
const columnOf = ({ request }: FuzzAnswer) =>
  request.target.kind === 'rest'
    ? request.target.service
    : `${request.target.kind} ${request.target.service}`;

/** An answer no client should get: a server error, or none at all. */
export const isFailure = (answer: FuzzAnswer): boolean =>
  answer.status >= 500 || answer.status <= 0;

/** Whether a run found anything wrong: a 5xx or no answer, a stranded order, leaked stock, a dead letter. */
export const fuzzFailed = (report: FuzzReport): boolean =>
  report.answers.some(isFailure) ||
  report.stranded.length > 0 ||
  report.leaks.length > 0 ||
  report.deadLetters.length > 0;

const preview = (value: string | Uint8Array | undefined, length = 120) => {
  if (value === undefined) return '-';
  const text = typeof value === 'string' ? value : `<bytes ${Buffer.from(value).toString('hex')}>`;
  const shown = JSON.stringify(text.length > length ? `${text.slice(0, length)}…` : text);
  return text.length > length ? `${shown} (${text.length} chars)` : shown;
};

/**
 * A run's report as text: answers counted by status and target, every request answered 5xx (or
 * not at all) with what reproduces it, and what the orders and the stock came to.
 *
 * @example
 * ```ts
 * console.log(formatFuzzReport(await runFuzz({ shop, seed: 7, requests: 300, settleTimeoutMs })));
 * ```
 */
export const formatFuzzReport = (report: FuzzReport): string => {
  const columns = [...new Set(report.answers.map(columnOf))].sort();
  const statuses = [...new Set(report.answers.map((answer) => answer.status))].sort(
    (a, b) => a - b,
  );
  const count = (status: number, column?: string) =>
    report.answers.filter(
      (answer) => answer.status === status && (column === undefined || columnOf(answer) === column),
    ).length;
  const cell = (value: string | number, width = 18) => String(value).padStart(width);
  const lines = [
    `Fuzz of the running shop: seed ${report.seed}, ${report.answers.length} requests, ${report.seconds.toFixed(1)} s`,
    '',
    `${'status'.padEnd(8)}${columns.map((column) => cell(column)).join('')}${cell('total', 8)}`,
    ...statuses.map(
      (status) =>
        `${String(status <= 0 ? 'none' : status).padEnd(8)}${columns.map((column) => cell(count(status, column) || '.')).join('')}${cell(count(status), 8)}`,
    ),
    `${'total'.padEnd(8)}${columns.map((column) => cell(report.answers.filter((a) => columnOf(a) === column).length)).join('')}${cell(report.answers.length, 8)}`,
    '',
  ];
  const failures = report.answers.filter(isFailure);
  lines.push(`5xx or no answer: ${failures.length}`);
  for (const { request, status, body } of failures) {
    const as =
      request.as.kind === 'anonymous' ? 'anonymous' : `${request.as.kind} ${request.as.name}`;
    lines.push(
      `  #${request.index} (--seed ${report.seed} --only ${request.index}) ${status <= 0 ? 'no answer' : status} ${request.method} ${columnOf({ request, status, body })} ${preview(request.path, 80)} as ${as}`,
      `    ${request.kind}; body ${preview(request.body)}`,
      `    answered ${preview(body, 200)}`,
    );
  }
  const orders = Object.entries(report.orders)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  lines.push('', `Orders created: ${orders || 'none'}`);
  lines.push(`Orders stranded (not CONFIRMED or CANCELLED in time): ${report.stranded.length}`);
  for (const order of report.stranded)
    lines.push(`  ${order.orderId} ${order.status}: ${order.view}`);
  lines.push(`Stock leaked: ${report.leaks.length}`);
  for (const leak of report.leaks) {
    lines.push(
      `  ${leak.sku}: expected ${JSON.stringify(leak.expected)}, found ${JSON.stringify(leak.actual)}`,
    );
  }
  lines.push(`Dead letters: ${report.deadLetters.reduce((sum, queue) => sum + queue.messages, 0)}`);
  for (const queue of report.deadLetters) {
    lines.push(`  ${queue.queue}: ${queue.messages}, e.g. ${queue.sample}`);
  }
  return lines.join('\n');
};
