import { Hash } from '@smithy/hash-node';
import { getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import {
  payloadRejection,
  type ReceivedRequest,
  signingKey,
  verifySigV4,
} from '../../src/iam/verifySigV4.js';

const HOST = '127.0.0.1:8000';
const NOW = new Date('2026-01-15T10:00:00Z');
const BODY = '{"TableName":"orders","Key":{"pk":{"S":"o-1"}}}';
const options = {
  secretOf: (key: string) => (key === 'AKIDLOCAL' ? 'local-secret' : undefined),
  service: 'dynamodb',
  region: 'eu-west-1',
  now: NOW,
  host: HOST,
};

/** A request signed as the SDK signs a JSON-protocol call: the body's hash in the signature. */
const signed = async (
  extraHeaders: Record<string, string> = {},
  body = BODY,
  host = HOST,
): Promise<ReceivedRequest & { headers: Record<string, string> }> => {
  const request = await new SignatureV4({
    service: 'dynamodb',
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  }).sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: host,
      path: '/',
      headers: {
        host,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.GetItem',
        ...extraHeaders,
      },
      body,
    },
    { signingDate: NOW },
  );
  return {
    method: 'POST',
    target: '/',
    headers: request.headers,
    body: Buffer.from(body),
  };
};

describe('verifySigV4, hardened', () => {
  it('accepts a body signed by its hash, with or without x-amz-content-sha256', async () => {
    const hash = new Hash('sha256');
    hash.update(BODY);
    const digest = Buffer.from(await hash.digest()).toString('hex');

    expect(await verifySigV4(await signed(), options)).toMatchObject({ ok: true });
    expect(
      await verifySigV4(await signed({ 'x-amz-content-sha256': digest }), options),
    ).toMatchObject({ ok: true, signedHeaders: expect.arrayContaining(['x-amz-content-sha256']) });
  });

  it('rejects a body changed after signing', async () => {
    const request = await signed();

    expect(
      await verifySigV4(
        { ...request, body: Buffer.from(BODY.replace('orders', 'payments')) },
        options,
      ),
    ).toMatchObject({ ok: false, reason: 'SIGNATURE_MISMATCH' });
  });

  it('rejects an x-amz-content-sha256 that is not the body hash, even when it is signed', async () => {
    const request = await signed({ 'x-amz-content-sha256': 'a'.repeat(64) });

    expect(await verifySigV4(request, options)).toMatchObject({
      ok: false,
      reason: 'PAYLOAD_MISMATCH',
      message: expect.stringMatching(/^XAmzContentSHA256Mismatch/),
    });
  });

  it('accepts UNSIGNED-PAYLOAD only where the service allows it', async () => {
    const request = await signed({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });

    expect(await verifySigV4(request, options)).toMatchObject({
      ok: false,
      reason: 'PAYLOAD_MISMATCH',
    });
    expect(await verifySigV4(request, { ...options, allowUnsignedPayload: true })).toMatchObject({
      ok: true,
    });
  });

  it('rejects a valid signature made for another endpoint host', async () => {
    const request = await signed({}, BODY, '127.0.0.1:9999');

    expect(await verifySigV4(request, options)).toMatchObject({
      ok: false,
      reason: 'WRONG_HOST',
    });
  });

  it.each([
    [
      'authorization',
      'AWS4-HMAC-SHA256 Credential=AKIDOTHER/20260115/eu-west-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
        '0'.repeat(64),
    ],
    ['host', 'evil.example.com'],
  ])('rejects a request with a second %s header', async (name, second) => {
    const request = await signed();
    const first = request.headers[name] ?? '';

    expect(
      await verifySigV4(
        { ...request, headers: { ...request.headers, [name]: [first, second] } },
        options,
      ),
    ).toMatchObject({
      ok: false,
      reason: 'DUPLICATE_HEADER',
      message: `IncompleteSignatureException: The request has more than one '${name}' header.`,
    });
  });

  it('verifies a request before its body is read, over the payload hash it signed, then checks the body', async () => {
    const hash = new Hash('sha256');
    hash.update(BODY);
    const digest = Buffer.from(await hash.digest()).toString('hex');
    const { body: _body, ...head } = await signed({ 'x-amz-content-sha256': digest });

    expect(await verifySigV4(head, { ...options, deferPayload: true })).toMatchObject({ ok: true });
    expect(payloadRejection({ ...head, body: Buffer.from(BODY) }, {})).toBeUndefined();
    expect(payloadRejection({ ...head, body: Buffer.from(`${BODY} `) }, {})).toMatchObject({
      reason: 'PAYLOAD_MISMATCH',
    });
  });

  it('refuses to verify before the body a request that does not sign its payload hash', async () => {
    const { body: _body, ...head } = await signed();

    expect(await verifySigV4(head, { ...options, deferPayload: true })).toMatchObject({
      ok: false,
      reason: 'MALFORMED',
      message:
        "IncompleteSignatureException: Missing the 'x-amz-content-sha256' in canonical headers.",
    });
  });

  it('reads a path that starts with // as a path, and a header named __proto__ as a header', async () => {
    const request = await new SignatureV4({
      service: 'dynamodb',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      sha256: Hash.bind(null, 'sha256'),
      applyChecksum: false,
    }).sign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: HOST,
        path: '//x/[',
        query: { constructor: 'a' },
        headers: { host: HOST },
      },
      { signingDate: NOW },
    );
    // A computed key makes `__proto__` an own property, as a header parsed from the wire is.
    const headers = { ...request.headers, ['__proto__']: 'h' };

    expect(
      await verifySigV4({ method: 'GET', target: '//x/[?constructor=a', headers }, options),
    ).toMatchObject({ ok: true });
  });

  it('derives the signing key the SDK derives, and one per secret, day, region and service', async () => {
    const sdk = async (secretAccessKey: string, day: string, region: string, service: string) =>
      Buffer.from(
        await getSigningKey(
          Hash.bind(null, 'sha256'),
          { accessKeyId: 'AKIDLOCAL', secretAccessKey },
          day,
          region,
          service,
        ),
      );

    for (const [secret, day, region, service] of [
      ['local-secret', '20260115', 'eu-west-1', 'dynamodb'],
      ['local-secret', '20260116', 'eu-west-1', 'dynamodb'],
      ['other-secret', '20260115', 'eu-west-1', 'dynamodb'],
      ['local-secret', '20260115', 'eu-west-1', 'sqs'],
      ['local-secret', '20260115', 'us-east-1', 'dynamodb'],
    ] as const) {
      expect(signingKey(secret, day, region, service)).toEqual(
        await sdk(secret, day, region, service),
      );
    }
  });

  it('refuses a request signed with another secret after the right one was verified', async () => {
    expect(await verifySigV4(await signed(), options)).toMatchObject({ ok: true });

    expect(
      await verifySigV4(await signed(), { ...options, secretOf: () => 'another-secret' }),
    ).toMatchObject({ ok: false, reason: 'SIGNATURE_MISMATCH' });
  });
});
