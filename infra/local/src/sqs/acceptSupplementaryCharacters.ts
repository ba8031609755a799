import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What SQS refuses in a message: anything outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF. */
const REFUSED_BY_SQS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Where Node finds the `fauxqs` package (its `exports` let nothing but its entry point resolve). */
const fauxqsDirectory = (): string => {
  const found = (createRequire(import.meta.url).resolve.paths('fauxqs') ?? [])
    .map((modules) => join(modules, 'fauxqs'))
    .find((directory) => existsSync(join(directory, 'package.json')));
  if (found === undefined) throw new Error('fauxqs is not installed');
  return found;
};

/**
 * Makes fauxqs take the characters from U+10000 to U+10FFFF (emoji among them) that SQS takes.
 * Its check of a message body reads UTF-16 units one by one, so it refuses both halves of every
 * surrogate pair with `InvalidMessageContents`: a customer's emoji would stop an event at its
 * queue locally, where AWS delivers it. The check is one regular expression its `SendMessage` and
 * `SendMessageBatch` share (not exported by the package), so its `test` is made to read code
 * points; a lone surrogate is still refused, as SQS refuses it. Applying it twice changes nothing.
 *
 * @example
 * ```ts
 * await acceptSupplementaryCharacters();
 * const app = buildApp({ logger: false });
 * ```
 */
export const acceptSupplementaryCharacters = async (): Promise<void> => {
  const types: { INVALID_MESSAGE_BODY_CHAR?: unknown } = await import(
    pathToFileURL(join(fauxqsDirectory(), 'dist', 'sqs', 'sqsTypes.js')).href
  );
  const check = types.INVALID_MESSAGE_BODY_CHAR;
  if (!(check instanceof RegExp)) {
    throw new Error('fauxqs no longer has INVALID_MESSAGE_BODY_CHAR: review its character check');
  }
  Object.defineProperty(check, 'test', {
    value: (body: string) => REFUSED_BY_SQS.test(body),
    configurable: true,
  });
};
