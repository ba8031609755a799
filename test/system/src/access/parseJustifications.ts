/** The two comments that justify a grant: never used by the system tests, or not in every run. */
export const MARKERS = ['unused-grant', 'sometimes-used-grant'] as const;

/**
 * Why a grant the system tests do not use in every run is granted all the same, from a comment
 * where the grant is declared:
 *
 * ```ts
 * // unused-grant <role> <action> [<resource>]: <reason>
 * // sometimes-used-grant <role> <action> [<resource>]: <reason>
 * ```
 *
 * `unused-grant`: no system test uses it. `sometimes-used-grant`: a path the tests take only when
 * something fails by chance (a race, a duplicate in flight), so some runs use it and some do not.
 * `<role>` is a role's name (`payment-api`, `order-outbox-pipe`), `<action>` an IAM action and
 * `<resource>` a granted resource (all resources when left out); each may hold `*` and `?`
 * wildcards (`*-outbox-pipe`, `ec2:*`, `*-dlq`). The reason runs to the end of the block of `//`
 * lines, or to the next justification.
 */
export interface Justification {
  readonly marker: (typeof MARKERS)[number];
  readonly role: string;
  readonly action: string;
  readonly resource: string | undefined;
  readonly reason: string;
  /** Where it is written: `<path>:<line>`. */
  readonly at: string;
}

/** What a file holds: its justifications, and the marked comments that do not parse. */
export interface ParsedJustifications {
  readonly justifications: readonly Justification[];
  readonly malformed: readonly string[];
}

const COMMENT = /^\s*\/\/ ?(.*)$/;
const MARKER = new RegExp(`^(${MARKERS.join('|')})\\b`);
const TOKEN = String.raw`(\S*[^\s:])`;
const JUSTIFICATION = new RegExp(
  `^(${MARKERS.join('|')}) ${TOKEN} ${TOKEN}(?: ${TOKEN})?: (\\S.*)$`,
);

/**
 * The `unused-grant` and `sometimes-used-grant` justifications of a source file.
 *
 * @example
 * ```ts
 * parseJustifications('// unused-grant *-outbox-pipe dynamodb:ListStreams: A Pipe lists...', 'x.ts');
 * // { justifications: [{ marker: 'unused-grant', role: '*-outbox-pipe', ... }], malformed: [] }
 * ```
 */
export const parseJustifications = (source: string, path: string): ParsedJustifications => {
  const justifications: Justification[] = [];
  const malformed: string[] = [];
  let open: { header: RegExpExecArray; reason: string[]; at: string } | undefined;
  const close = () => {
    if (open === undefined) return;
    const [, marker, role = '', action = '', resource, first = ''] = open.header;
    justifications.push({
      marker: marker === 'sometimes-used-grant' ? marker : 'unused-grant',
      role,
      action,
      resource,
      reason: [first, ...open.reason].join(' ').trim(),
      at: open.at,
    });
    open = undefined;
  };
  for (const [index, line] of source.split('\n').entries()) {
    const text = COMMENT.exec(line)?.[1]?.trim();
    if (text === undefined || text === '') {
      close();
      continue;
    }
    const marker = MARKER.exec(text)?.[1];
    if (marker === undefined) {
      open?.reason.push(text);
      continue;
    }
    close();
    const at = `${path}:${index + 1}`;
    const header = JUSTIFICATION.exec(text);
    if (header === null) {
      malformed.push(
        `${at}: '${text}' is not '// ${marker} <role> <action> [<resource>]: <reason>'`,
      );
    } else open = { header, reason: [], at };
  }
  close();
  return { justifications, malformed };
};
