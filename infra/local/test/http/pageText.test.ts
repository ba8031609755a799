import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/http/escapeHtml.js';
import { requestCookie } from '../../src/http/requestCookie.js';

const withCookie = (cookie?: string) =>
  ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage;

describe('requestCookie', () => {
  it('reads one cookie among several, keeping an = inside its value', () => {
    const request = withCookie('a=1; va_session=abc=def==; b=2');
    expect(requestCookie(request, 'va_session')).toBe('abc=def==');
    expect(requestCookie(request, 'b')).toBe('2');
  });

  it('finds no cookie of another name, nor one whose name only ends the same', () => {
    expect(requestCookie(withCookie('xva_session=1'), 'va_session')).toBeUndefined();
    expect(requestCookie(withCookie(), 'va_session')).toBeUndefined();
    expect(requestCookie(withCookie('=orphan; va_session'), 'va_session')).toBeUndefined();
  });
});

describe('escapeHtml', () => {
  it('escapes what could end an element or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('leaves other text as it is', () => {
    expect(escapeHtml('Incorrect username or password.')).toBe('Incorrect username or password.');
  });
});
