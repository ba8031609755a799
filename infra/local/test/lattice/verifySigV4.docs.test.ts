import { describe, expect, it } from 'vitest';
import { type ReceivedRequest, verifySigV4 } from '../../src/iam/verifySigV4.js';

// The AWS Signature Version 4 test suite: credentials, scope and expected signatures of its
// `get-vanilla` and `get-vanilla-query-order-key-case` requests.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const options = {
  secretOf: (key: string) => (key === 'AKIDEXAMPLE' ? SECRET : undefined),
  service: 'service',
  region: 'us-east-1',
  now: new Date('2015-08-30T12:36:00Z'),
  host: 'example.amazonaws.com',
};
const authorization = (
  signature: string,
  key = 'AKIDEXAMPLE',
  scope = '20150830/us-east-1/service',
) =>
  `AWS4-HMAC-SHA256 Credential=${key}/${scope}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`;
const getVanilla: ReceivedRequest = {
  method: 'GET',
  target: '/',
  headers: {
    host: 'example.amazonaws.com',
    'x-amz-date': '20150830T123600Z',
    authorization: authorization(
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    ),
  },
};
const getVanillaQuery: ReceivedRequest = {
  method: 'GET',
  target: '/?Param2=value2&Param1=value1',
  headers: {
    ...getVanilla.headers,
    authorization: authorization(
      'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
    ),
  },
};

describe('verifySigV4 against the AWS SigV4 test suite', () => {
  it.each([
    ['get-vanilla', getVanilla],
    ['get-vanilla-query-order-key-case', getVanillaQuery],
  ])('accepts %s', async (_, request) => {
    expect(await verifySigV4(request, options)).toEqual({
      ok: true,
      accessKeyId: 'AKIDEXAMPLE',
      signedHeaders: ['host', 'x-amz-date'],
    });
  });

  it.each([
    ['another path', { ...getVanilla, target: '/admin' }],
    ['another method', { ...getVanilla, method: 'PUT' }],
    ['another query', { ...getVanillaQuery, target: '/?Param2=value2&Param1=other' }],
    [
      'another host',
      { ...getVanilla, headers: { ...getVanilla.headers, host: 'evil.example.com' } },
    ],
    [
      'a flipped signature digit',
      {
        ...getVanilla,
        headers: {
          ...getVanilla.headers,
          authorization: authorization(
            '6fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
          ),
        },
      },
    ],
  ])('rejects the signed request with %s', async (_, request) => {
    expect(await verifySigV4(request, options)).toMatchObject({
      ok: false,
      reason: 'SIGNATURE_MISMATCH',
      message: expect.stringMatching(
        /^InvalidSignatureException: The request signature we calculated/,
      ),
    });
  });

  it('rejects a request signed more than five minutes ago, and one from the future', async () => {
    const later = { ...options, now: new Date('2015-08-30T12:41:01Z') };
    const earlier = { ...options, now: new Date('2015-08-30T12:30:59Z') };

    expect(await verifySigV4(getVanilla, later)).toMatchObject({ ok: false, reason: 'EXPIRED' });
    expect(await verifySigV4(getVanilla, earlier)).toMatchObject({ ok: false, reason: 'EXPIRED' });
    expect(
      await verifySigV4(getVanilla, { ...options, now: new Date('2015-08-30T12:40:59Z') }),
    ).toMatchObject({ ok: true });
  });

  it('rejects a key nobody issued, and a scope for another region or service', async () => {
    const withAuthorization = (value: string) => ({
      ...getVanilla,
      headers: { ...getVanilla.headers, authorization: value },
    });
    const signature = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';

    expect(
      await verifySigV4(withAuthorization(authorization(signature, 'AKIDOTHER')), options),
    ).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_KEY',
    });
    expect(
      await verifySigV4(
        withAuthorization(authorization(signature, 'AKIDEXAMPLE', '20150830/eu-west-1/service')),
        options,
      ),
    ).toMatchObject({ ok: false, reason: 'WRONG_SCOPE' });
    expect(
      await verifySigV4(
        withAuthorization(authorization(signature, 'AKIDEXAMPLE', '20150830/us-east-1/s3')),
        options,
      ),
    ).toMatchObject({ ok: false, reason: 'WRONG_SCOPE' });
  });

  it('rejects malformed headers and a signed header that is not in the request', async () => {
    const { 'x-amz-date': _date, ...withoutDate } = getVanilla.headers;

    expect(
      await verifySigV4(
        { ...getVanilla, headers: { ...getVanilla.headers, authorization: 'Bearer x' } },
        options,
      ),
    ).toMatchObject({
      ok: false,
      reason: 'MALFORMED',
    });
    expect(await verifySigV4({ ...getVanilla, headers: withoutDate }, options)).toMatchObject({
      ok: false,
      reason: 'MALFORMED',
    });
  });
});
