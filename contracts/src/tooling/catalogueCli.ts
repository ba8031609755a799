import { eventLabel } from '../defineEvent.js';
import { buildRegistry } from '../registry.js';

const rows = buildRegistry().map((row) => ({
  event: eventLabel(row),
  source: row.source,
  consumers: row.consumers.join(', ') || '-',
}));
console.log('Zero-Trust Shop: the events on the bus, who publishes them and who consumes them\n');
console.table(rows);
console.log('\nRead docs/events.md for every schema and example. Test everything with `npm test`.');
