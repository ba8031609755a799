/** The staff ID token of this page's sign-in: in memory only, never in storage (ADR 0026). */
let signedInToken: string | undefined;

/** Keeps the ID token the sign-in answered, for `Authorization: Bearer`. */
export const useIdToken = (token: string): void => {
  signedInToken = token;
};

/** The staff ID token of this page's sign-in; sent as `Authorization: Bearer`. */
export const idToken = (): string | undefined => signedInToken;

/** The claims of the token, for showing who is signed in (the services verify it, not this). */
export const claimsOf = (token: string): Record<string, unknown> => {
  try {
    const payload = token.split('.')[1] ?? '';
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<
      string,
      unknown
    >;
  } catch {
    return {};
  }
};

/** An answer of the console's API or a service's staff API. */
export interface Answer<T> {
  readonly status: number;
  readonly body: T | { readonly error?: { readonly code?: string; readonly message?: string } };
}

/**
 * A request with the user's own token, to the console (`/console/api/...`) or a service's staff
 * API (`/<service>/admin/...`), both through the Verified Access endpoint this page came from.
 */
export const call = async <T>(method: 'GET' | 'POST', path: string): Promise<Answer<T>> => {
  const token = idToken();
  const response = await fetch(path, {
    method,
    headers: {
      accept: 'application/json',
      ...(method === 'POST' && { 'content-type': 'application/json' }),
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    ...(method === 'POST' && { body: '{}' }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    body = { error: { code: String(response.status), message: text.slice(0, 200) } };
  }
  return { status: response.status, body: body as Answer<T>['body'] };
};

/** The error message of an answer that is not a success. */
export const errorOf = (answer: Answer<unknown>): string => {
  const error = (answer.body as { error?: { code?: string; message?: string } }).error;
  return `${answer.status} ${error?.code ?? ''} ${error?.message ?? ''}`.trim();
};
