import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserContextRejectedError, userContextVerifier } from '../src/index.js';

const SIGNER = 'arn:aws:ec2:eu-west-1:111111111111:verified-access-instance/vai-0123456789abcdef0';
const KID = '9e1c6d0a-2b7f-4c1e-8a53-1f0d2c3b4a5e';
const NOW = new Date('2026-11-29T12:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

const key = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A header as Verified Access signs it (ES384, raw r||s signature). */
const userContext = (
  overrides: { header?: Record<string, unknown>; privateKey?: KeyObject } = {},
  claims: Record<string, unknown> = {
    sub: 'staff-1',
    email: 'ops@example.com',
    additional_user_context: { 'cognito:groups': ['Operators'], sub: 'staff-1' },
  },
) => {
  const unsigned = `${part({
    alg: 'ES384',
    kid: KID,
    signer: SIGNER,
    iss: 'https://issuer.example',
    exp: seconds(NOW) + 120,
    ...overrides.header,
  })}.${part(claims)}`;
  const signature = sign('sha384', Buffer.from(unsigned), {
    key: overrides.privateKey ?? key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${unsigned}.${signature.toString('base64url')}`;
};

let server: Server;
let publicKeysUrl = '';
const fetchedKids: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    fetchedKids.push(request.url ?? '');
    if (request.url !== `/${KID}`) return void response.writeHead(404).end();
    response.end(key.publicKey.export({ type: 'spki', format: 'pem' }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  publicKeysUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const verifier = () => userContextVerifier({ publicKeysUrl, signer: SIGNER, now: () => NOW });

describe('the Verified Access user context', () => {
  it('is verified with the public key its kid names, and says who the user is', async () => {
    const verify = verifier();
    const user = await verify(userContext());
    expect(user).toMatchObject({ sub: 'staff-1', email: 'ops@example.com', groups: ['Operators'] });
    await verify(userContext());
    expect(fetchedKids).toEqual([`/${KID}`]);
  });

  it.each([
    ['missing', undefined],
    ['not a JWT', 'abc.def'],
    ['not ES384', userContext({ header: { alg: 'ES256' } })],
    ['signed by another instance', userContext({ header: { signer: `${SIGNER}0` } })],
    ['expired', userContext({ header: { exp: seconds(NOW) } })],
    ['signed with another key', userContext({ privateKey: other.privateKey })],
    ['a key id that is not a key id', userContext({ header: { kid: '../admin' } })],
    ['an unknown key id', userContext({ header: { kid: 'unknown-kid' } })],
  ])('is refused when %s', async (_why, header) => {
    await expect(verifier()(header)).rejects.toThrow(UserContextRejectedError);
  });

  it('is refused when its claims were changed after signing', async () => {
    const [head, , signature] = userContext().split('.');
    const forged = part({
      sub: 'staff-1',
      additional_user_context: { 'cognito:groups': ['Admins'] },
    });
    await expect(verifier()(`${head}.${forged}.${signature}`)).rejects.toThrow(
      UserContextRejectedError,
    );
  });

  it('takes its keys from AWS in the region of the instance unless told where, so needs an ARN', () => {
    expect(() => userContextVerifier({ signer: 'vai-1' })).toThrow(UserContextRejectedError);
    expect(() => userContextVerifier({ signer: SIGNER })).not.toThrow();
  });
});
