const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text made safe to put in an HTML page, in an element or a quoted attribute.
 *
 * @example
 * ```ts
 * `<p class="error">${escapeHtml(message)}</p>`;
 * ```
 */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
