import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  VerifiedAccessContextError,
  verifiedAccessContextVerifier,
} from '../src/http/verifiedAccessContext.js';

const INSTANCE =
  'arn:aws:ec2:eu-west-1:111122223333:verified-access-instance/vai-0123456789abcdef0';
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const KEY_ID = '12345678-1234-1234-1234-123456789012';

const keyPair = () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
const signing = keyPair();
const stranger = keyPair();

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A user context as Verified Access signs it (ES384, the signature as r||s). */
const userContext = (
  options: { header?: object; claims?: object; key?: KeyObject } = {},
): string => {
  const header = part({
    alg: 'ES384',
    kid: KEY_ID,
    signer: INSTANCE,
    iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_staff',
    exp: NOW / 1000 + 120,
    ...options.header,
  });
  const payload = part({ sub: 'ada-sub', email: 'ada@example.com', ...options.claims });
  const signature = sign('sha384', Buffer.from(`${header}.${payload}`), {
    key: options.key ?? signing.privateKey,
    dsaEncoding: 'ieee-p1363',
  }).toString('base64url');
  return `${header}.${payload}.${signature}`;
};

const keyRequests: string[] = [];
const keyServer = createServer((request, response) => {
  keyRequests.push(request.url ?? '');
  if (request.url !== `/${KEY_ID}`) {
    response.writeHead(404).end();
    return;
  }
  response.end(signing.publicKey.export({ type: 'spki', format: 'pem' }));
});

let verify: (jwt: string) => Promise<{ sub: string }>;

beforeAll(async () => {
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  const { port } = keyServer.address() as AddressInfo;
  verify = verifiedAccessContextVerifier({
    instanceArn: INSTANCE,
    publicKeyUrl: (keyId) => `http://127.0.0.1:${port}/${keyId}`,
    now: () => NOW,
  });
});

afterAll(() => new Promise<void>((resolve) => keyServer.close(() => resolve())));

describe('verifiedAccessContextVerifier', () => {
  it('takes the user from a context our instance signed, fetching its key once', async () => {
    const before = keyRequests.length;
    expect(await verify(userContext())).toMatchObject({
      sub: 'ada-sub',
      claims: { email: 'ada@example.com' },
    });
    expect(await verify(userContext())).toMatchObject({ sub: 'ada-sub' });
    expect(keyRequests.length - before).toBeLessThanOrEqual(1);
  });

  it.each([
    ['signed by another key', userContext({ key: stranger.privateKey })],
    ['signed by another instance', userContext({ header: { signer: `${INSTANCE}1` } })],
    ['expired', userContext({ header: { exp: NOW / 1000 - 1 } })],
    ['without an expiry', userContext({ header: { exp: undefined } })],
    ['another algorithm', userContext({ header: { alg: 'none' } })],
    ['a key id that is a path', userContext({ header: { kid: '../secrets' } })],
    ['an unknown key id', userContext({ header: { kid: 'abc-unknown' } })],
    ['without a subject', userContext({ claims: { sub: '' } })],
    ['not a JWT', 'hello'],
  ])('refuses a context %s', async (_, jwt) => {
    await expect(verify(jwt)).rejects.toThrow(VerifiedAccessContextError);
  });

  it('refuses claims changed after signing', async () => {
    const [header, , signature] = userContext().split('.');
    const forged = `${header}.${part({ sub: 'mallory-sub' })}.${signature}`;
    await expect(verify(forged)).rejects.toThrow(/signature/);
  });

  it('needs the instance as an ARN, whose region its keys are in', () => {
    expect(() => verifiedAccessContextVerifier({ instanceArn: 'vai-1' })).toThrow(
      VerifiedAccessContextError,
    );
  });
});
