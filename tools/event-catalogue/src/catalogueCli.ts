import { buildRegistry, catalogue, eventLabel } from '@shop/contracts';
import { subscribers } from './subscribers.js';

const rows = [
  ['EVENT', 'PUBLISHED BY', 'CONSUMED BY'],
  ...buildRegistry(catalogue, subscribers).map((row) => [
    eventLabel(row),
    row.source,
    row.consumers.join(', ') || '-',
  ]),
];
const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
const line = (row: readonly string[]) =>
  row
    .map((cell, column) => cell.padEnd(widths[column] ?? 0))
    .join('  ')
    .trimEnd();

console.log('Zero-Trust Shop: the events on the bus, who publishes them and who consumes them\n');
for (const row of rows) console.log(`  ${line(row)}`);
console.log('\nSchemas and examples: docs/events.md. Test everything: npm test.');
