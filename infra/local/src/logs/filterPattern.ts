/** A compiled filter pattern: whether one log event's message matches it. */
export type MessageFilter = (message: string) => boolean;

/** A filter pattern CloudWatch Logs would refuse, with why. */
export class InvalidFilterPatternError extends Error {
  constructor(message: string) {
    super(`Invalid filter pattern: ${message}`);
    this.name = 'InvalidFilterPatternError';
  }
}

type Json = unknown;

/** One step of a selector: a property name or an array index. */
type Step = string | number;

type Comparison = '=' | '!=' | '<' | '>' | '<=' | '>=';

type Condition = (event: Json) => boolean;

const fail = (message: string): never => {
  throw new InvalidFilterPatternError(message);
};

/** `$.a.b[0].c` as its steps. */
const parseSelector = (text: string): Step[] => {
  if (!text.startsWith('$')) return fail(`a selector starts with $: ${text}`);
  const steps: Step[] = [];
  const step = /\.([A-Za-z0-9_\-@$:]+)|\[(\d+)\]/y;
  step.lastIndex = 1;
  while (step.lastIndex < text.length) {
    const at = step.lastIndex;
    const found = step.exec(text);
    if (found === null || step.lastIndex === at) return fail(`bad selector ${text}`);
    steps.push(found[1] ?? Number(found[2]));
  }
  return steps.length > 0 ? steps : fail(`a selector names a field: ${text}`);
};

const select = (event: Json, steps: readonly Step[]): { found: boolean; value?: Json } => {
  let value: Json = event;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(value) || step >= value.length) return { found: false };
      value = value[step];
    } else {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { found: false };
      }
      if (!Object.hasOwn(value, step)) return { found: false };
      value = (value as Record<string, Json>)[step];
    }
  }
  return { found: true, value };
};

const escapeRegExp = (text: string): string => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A string value with `*` wildcards, matched against the whole of a field's text. */
const globOf = (text: string): RegExp =>
  new RegExp(`^${text.split('*').map(escapeRegExp).join('.*')}$`, 's');

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** The condition `selector op value` on an event. */
const comparison = (
  steps: readonly Step[],
  op: Comparison,
  value: string,
  quoted: boolean,
): Condition => {
  if (!quoted && NUMBER.test(value)) {
    const wanted = Number(value);
    const test: Record<Comparison, (n: number) => boolean> = {
      '=': (n) => n === wanted,
      '!=': (n) => n !== wanted,
      '<': (n) => n < wanted,
      '>': (n) => n > wanted,
      '<=': (n) => n <= wanted,
      '>=': (n) => n >= wanted,
    };
    return (event) => {
      const field = select(event, steps);
      return field.found && typeof field.value === 'number' && test[op](field.value);
    };
  }
  if (op !== '=' && op !== '!=') return fail(`${op} compares numbers only, not ${value}`);
  const glob = globOf(value);
  const matches = (field: Json): boolean =>
    (typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') &&
    glob.test(String(field));
  return (event) => {
    const field = select(event, steps);
    return field.found && (op === '=' ? matches(field.value) : !matches(field.value));
  };
};

type Token =
  | { readonly kind: 'open' | 'close' | 'and' | 'or' }
  | { readonly kind: 'op'; readonly op: Comparison }
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string };

const TOKEN =
  /\s*(?:(\()|(\))|(&&)|(\|\|)|(!=|<=|>=|=|<|>)|"((?:[^"\\]|\\.)*)"|([^\s()"=!<>&|]+))/y;

const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (text.slice(TOKEN.lastIndex).trim() !== '') {
    const at = TOKEN.lastIndex;
    const found = TOKEN.exec(text);
    if (found === null) return fail(`cannot read "${text.slice(at).trim()}"`);
    if (found[1]) tokens.push({ kind: 'open' });
    else if (found[2]) tokens.push({ kind: 'close' });
    else if (found[3]) tokens.push({ kind: 'and' });
    else if (found[4]) tokens.push({ kind: 'or' });
    else if (found[5]) tokens.push({ kind: 'op', op: found[5] as Comparison });
    else if (found[6] !== undefined)
      tokens.push({ kind: 'string', text: found[6].replace(/\\(.)/g, '$1') });
    else tokens.push({ kind: 'word', text: found[7] ?? '' });
  }
  return tokens;
};

/** Reads `expr := and (|| and)*; and := unit (&& unit)*; unit := ( expr ) | test`. */
class JsonExpression {
  private at = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Condition {
    const condition = this.or();
    if (this.at < this.tokens.length) fail('unexpected text after the expression');
    return condition;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token {
    const token = this.tokens[this.at++];
    return token ?? fail('the expression ends too early');
  }

  private or(): Condition {
    const any = [this.and()];
    while (this.peek()?.kind === 'or') {
      this.at++;
      any.push(this.and());
    }
    return any.length === 1 && any[0] ? any[0] : (event) => any.some((test) => test(event));
  }

  private and(): Condition {
    const all = [this.unit()];
    while (this.peek()?.kind === 'and') {
      this.at++;
      all.push(this.unit());
    }
    return all.length === 1 && all[0] ? all[0] : (event) => all.every((test) => test(event));
  }

  private unit(): Condition {
    const token = this.next();
    if (token.kind === 'open') {
      const inner = this.or();
      if (this.next().kind !== 'close') fail('a parenthesis is not closed');
      return inner;
    }
    if (token.kind !== 'word') return fail('expected a selector such as $.field');
    return this.test(parseSelector(token.text));
  }

  private word(): string | undefined {
    const token = this.peek();
    return token?.kind === 'word' ? token.text.toUpperCase() : undefined;
  }

  private test(steps: readonly Step[]): Condition {
    const keyword = this.word();
    if (keyword === 'IS') {
      this.at++;
      const what = this.word();
      this.at++;
      const is: Record<string, (value: Json) => boolean> = {
        NULL: (value) => value === null,
        TRUE: (value) => value === true,
        FALSE: (value) => value === false,
      };
      const check = what === undefined ? undefined : is[what];
      if (check === undefined) return fail('IS takes NULL, TRUE or FALSE');
      return (event) => {
        const field = select(event, steps);
        return field.found && check(field.value);
      };
    }
    if (keyword === 'NOT') {
      this.at++;
      if (this.word() !== 'EXISTS') fail('NOT takes EXISTS');
      this.at++;
      return (event) => !select(event, steps).found;
    }
    const op = this.next();
    if (op.kind !== 'op') return fail('expected a comparison (=, !=, <, >, <=, >=)');
    const value = this.next();
    if (value.kind !== 'word' && value.kind !== 'string') return fail('expected a value');
    return comparison(steps, op.op, value.text, value.kind === 'string');
  }
}

const jsonFilter = (body: string): MessageFilter => {
  const condition = new JsonExpression(tokenize(body)).parse();
  return (message) => {
    let event: Json;
    try {
      event = JSON.parse(message);
    } catch {
      return false;
    }
    return typeof event === 'object' && event !== null && condition(event);
  };
};

const TERM = /\s*([-?]?)(?:"((?:[^"\\]|\\.)*)"|([^\s"]+))/y;

const termsFilter = (pattern: string): MessageFilter => {
  const all: string[] = [];
  const none: string[] = [];
  const any: string[] = [];
  TERM.lastIndex = 0;
  while (pattern.slice(TERM.lastIndex).trim() !== '') {
    const found = TERM.exec(pattern);
    if (found === null) return fail(`cannot read "${pattern.slice(TERM.lastIndex).trim()}"`);
    const term = found[2] !== undefined ? found[2].replace(/\\(.)/g, '$1') : (found[3] ?? '');
    if (term === '') continue;
    (found[1] === '-' ? none : found[1] === '?' ? any : all).push(term);
  }
  return (message) =>
    all.every((term) => message.includes(term)) &&
    !none.some((term) => message.includes(term)) &&
    (any.length === 0 || any.some((term) => message.includes(term)));
};

/**
 * Compiles a CloudWatch Logs filter pattern (FilterLogEvents' `filterPattern`) as AWS documents
 * it. Terms: `ERROR` (the message contains it; case-sensitive), several terms (all of them),
 * `"a phrase"`, `-term` (must not contain), `?a ?b` (contains at least one of them). JSON
 * patterns on messages that are JSON objects: `{ $.a.b = "x" }`, `{ $.list[0].id = 2 }`,
 * `!=`, `<`, `>`, `<=`, `>=` on numbers, `*` wildcards in string values (`{ $.ip != 123.123.* }`,
 * `{ $.code = * }`), `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS`, combined with `&&`, `||`
 * and parentheses. An empty pattern matches every event. Space-delimited (`[a, b]`) and regular
 * expression (`%…%`) patterns are not emulated and are refused.
 *
 * @throws {InvalidFilterPatternError} when the pattern cannot be read.
 * @example
 * ```ts
 * const matches = compileFilterPattern('{ $.detail.data.orderId = "o-1" && $.source = "shop.*" }');
 * matches('{"source":"shop.order","detail":{"data":{"orderId":"o-1"}}}'); // true
 * ```
 */
export const compileFilterPattern = (pattern: string): MessageFilter => {
  const text = pattern.trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) return fail('a JSON pattern ends with }');
    return jsonFilter(text.slice(1, -1));
  }
  if (text.startsWith('[') || (text.startsWith('%') && text.endsWith('%'))) {
    return fail('space-delimited and regular expression patterns are not supported locally');
  }
  return termsFilter(text);
};
