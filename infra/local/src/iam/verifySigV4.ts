import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import {
  ALGORITHM_IDENTIFIER,
  AMZ_DATE_HEADER,
  createScope,
  getCanonicalHeaders,
  getPayloadHash,
  KEY_TYPE_IDENTIFIER,
  prepareRequest,
  SignatureV4Base,
} from '@smithy/signature-v4';
import { groupValues } from '../http/groupValues.js';
import { requestUrl } from '../http/requestUrl.js';
import { headerOf as header, type ReceivedRequest, repeatedHeader } from './receivedRequest.js';

export type { ReceivedRequest } from './receivedRequest.js';

export interface VerifySigV4Options {
  /** The secret of an access key id, or undefined for a key nobody issued. */
  readonly secretOf: (accessKeyId: string) => string | undefined;
  readonly service: string;
  readonly region: string;
  readonly now: Date;
  /** How far the request's time may be from now. @default 5 minutes */
  readonly maxSkewMs?: number;
  /** The endpoint's own host (`host:port`): the signed `Host` header must name it. */
  readonly host: string;
  /** Whether `x-amz-content-sha256: UNSIGNED-PAYLOAD` is accepted (Lattice, S3). @default false */
  readonly allowUnsignedPayload?: boolean;
  /**
   * Verify before the body is read: the request must sign `x-amz-content-sha256`, the signature
   * is checked over the hash that header claims, and the caller checks the body against the
   * claim once it has read it ({@link payloadRejection}). A gateway can so refuse a bad signature
   * without reading a byte of the body. @default false (the body is given and checked here)
   */
  readonly deferPayload?: boolean;
}

/** Why a signed request was rejected, with the message AWS gives for it. */
export type SigV4Rejection =
  | 'MALFORMED'
  | 'UNKNOWN_KEY'
  | 'WRONG_SCOPE'
  | 'EXPIRED'
  | 'SIGNATURE_MISMATCH'
  | 'DUPLICATE_HEADER'
  | 'WRONG_HOST'
  | 'PAYLOAD_MISMATCH';

export type SigV4Verdict =
  | {
      readonly ok: true;
      readonly accessKeyId: string;
      /** The lower-case names the signature covers. */
      readonly signedHeaders: readonly string[];
    }
  | { readonly ok: false; readonly reason: SigV4Rejection; readonly message: string };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const SHA256_HEADER = 'x-amz-content-sha256';
/** Headers that must arrive at most once: two of them would let the signer and the service disagree. */
const SINGLE_HEADERS = ['authorization', 'host', 'x-amz-date', SHA256_HEADER];

type Rejection = Extract<SigV4Verdict, { readonly ok: false }>;

const reject = (reason: SigV4Rejection, message: string): Rejection => ({
  ok: false,
  reason,
  message,
});

/** What a signed request claims: its credential scope, the headers it signed, its time. */
interface ClaimedSignature {
  readonly ok: true;
  readonly accessKeyId: string;
  readonly scopeDate: string | undefined;
  readonly scopeRegion: string | undefined;
  readonly scopeService: string | undefined;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly amzDate: string;
  readonly signedAt: Date;
}

/** The signature a request claims, or why it is malformed. */
const claimedSignature = (request: ReceivedRequest): ClaimedSignature | Rejection => {
  const parsed = AUTHORIZATION.exec(header(request, 'authorization') ?? '');
  if (parsed === null) {
    return reject(
      'MALFORMED',
      `IncompleteSignatureException: Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters in the form AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`,
    );
  }
  const [, accessKeyId = '', scopeDate, region, service, signedHeaderList = '', signature = ''] =
    parsed;
  const signedHeaders = signedHeaderList.split(';');
  const amzDate = header(request, 'x-amz-date') ?? '';
  const time = AMZ_DATE.exec(amzDate);
  if (time === null) {
    return reject(
      'MALFORMED',
      'IncompleteSignatureException: X-Amz-Date is missing or not in the ISO 8601 basic format',
    );
  }
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    return reject(
      'MALFORMED',
      "IncompleteSignatureException: 'Host' and 'X-Amz-Date' must be signed headers",
    );
  }
  const missing = signedHeaders.find((name) => header(request, name) === undefined);
  if (missing !== undefined) {
    return reject(
      'MALFORMED',
      `IncompleteSignatureException: '${missing}' is named as a SignedHeader, but it does not exist in the HTTP request`,
    );
  }
  const [, year, month, day, hours, minutes, seconds] = time;
  return {
    ok: true,
    accessKeyId,
    scopeDate,
    scopeRegion: region,
    scopeService: service,
    signedHeaders,
    signature,
    amzDate,
    signedAt: new Date(`${year}-${month}-${day}T${hours}:${minutes}:${seconds}Z`),
  };
};

/** Why the signature's scope or time does not fit this request and this service, if it does not. */
const scopeOrTimeRejection = (
  claimed: ClaimedSignature,
  options: VerifySigV4Options,
): Rejection | undefined => {
  if (
    claimed.scopeDate !== claimed.amzDate.slice(0, 8) ||
    claimed.scopeRegion !== options.region ||
    claimed.scopeService !== options.service
  ) {
    return reject(
      'WRONG_SCOPE',
      `InvalidSignatureException: Credential should be scoped to a valid region and service ('${options.region}', '${options.service}'), and to the request date.`,
    );
  }
  const skew = Math.abs(options.now.getTime() - claimed.signedAt.getTime());
  if (Number.isNaN(skew) || skew > (options.maxSkewMs ?? 5 * 60_000)) {
    return reject(
      'EXPIRED',
      `InvalidSignatureException: Signature expired: ${claimed.amzDate} is now earlier or later than the allowed 5 minutes around ${options.now.toISOString()}`,
    );
  }
  return undefined;
};

/**
 * Why the body does not match the `x-amz-content-sha256` its request claims, if it does not: a
 * hash other than the body's, or `UNSIGNED-PAYLOAD` where it is not allowed. No claim, no
 * rejection. `verifySigV4` makes this check itself unless told to `deferPayload`.
 *
 * @example
 * ```ts
 * const rejection = payloadRejection(receivedRequest(request, body), { allowUnsignedPayload: true });
 * if (rejection !== undefined) reply(403, rejection.message);
 * ```
 */
export const payloadRejection = (
  request: ReceivedRequest,
  options: Pick<VerifySigV4Options, 'allowUnsignedPayload'>,
): Rejection | undefined => {
  const claimed = header(request, SHA256_HEADER);
  if (claimed === undefined) return undefined;
  if (claimed === UNSIGNED_PAYLOAD) {
    return options.allowUnsignedPayload
      ? undefined
      : reject(
          'PAYLOAD_MISMATCH',
          `InvalidSignatureException: ${UNSIGNED_PAYLOAD} is not accepted by this service; sign the payload.`,
        );
  }
  const actual = createHash('sha256')
    .update(request.body ?? new Uint8Array())
    .digest('hex');
  return claimed === actual
    ? undefined
    : reject(
        'PAYLOAD_MISMATCH',
        "XAmzContentSHA256Mismatch: The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
};

/** Why a request verified before its body is read is refused: it does not sign its payload hash. */
const unsignedPayloadHash = (claimed: ClaimedSignature): Rejection | undefined =>
  claimed.signedHeaders.includes(SHA256_HEADER)
    ? undefined
    : reject(
        'MALFORMED',
        `IncompleteSignatureException: Missing the '${SHA256_HEADER}' in canonical headers.`,
      );

type SignedRequest = ReturnType<typeof prepareRequest>;

/**
 * The canonical request of @smithy/signature-v4, as the clients build it: the same path
 * normalization and escaping, query and header canonicalization. Only its protected builders are
 * used; the key derivation and the signature are {@link expectedSignature}'s.
 */
class CanonicalRequests extends SignatureV4Base {
  constructor(service: string, region: string) {
    super({
      service,
      region,
      credentials: { accessKeyId: '', secretAccessKey: '' },
      sha256: Hash.bind(null, 'sha256'),
      applyChecksum: false,
    });
  }

  of(
    request: SignedRequest,
    canonicalHeaders: ReturnType<typeof getCanonicalHeaders>,
    payloadHash: string,
  ): string {
    return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
  }
}

/** One canonicalizer per service and region (they hold nothing else). */
const canonicalizers = new Map<string, CanonicalRequests>();

const canonicalizerOf = (service: string, region: string): CanonicalRequests => {
  const key = `${service}/${region}`;
  let canonicalizer = canonicalizers.get(key);
  if (canonicalizer === undefined) {
    canonicalizer = new CanonicalRequests(service, region);
    canonicalizers.set(key, canonicalizer);
  }
  return canonicalizer;
};

/** How many derived signing keys are kept: far more than the local cloud's keys times services. */
const SIGNING_KEYS_KEPT = 1024;
const signingKeys = new Map<string, Buffer>();

const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data).digest();

/**
 * The SigV4 signing key of a secret for one day, region and service (four HMACs), derived once
 * and kept, as the SDK keeps the keys it signs with; the oldest kept is dropped past
 * `SIGNING_KEYS_KEPT`.
 *
 * @example
 * ```ts
 * signingKey('secret', '20260115', 'eu-west-1', 'dynamodb'); // 32 bytes
 * ```
 */
export const signingKey = (
  secretAccessKey: string,
  shortDate: string,
  region: string,
  service: string,
): Buffer => {
  const cacheKey = `${shortDate}\n${region}\n${service}\n${secretAccessKey}`;
  const kept = signingKeys.get(cacheKey);
  if (kept !== undefined) return kept;
  let key = hmac(`AWS4${secretAccessKey}`, shortDate);
  for (const part of [region, service, KEY_TYPE_IDENTIFIER]) key = hmac(key, part);
  if (signingKeys.size >= SIGNING_KEYS_KEPT) {
    signingKeys.delete(signingKeys.keys().next().value ?? '');
  }
  signingKeys.set(cacheKey, key);
  return key;
};

/**
 * The signature the client should have sent, recomputed with the key's secret over what it
 * signed, as @smithy/signature-v4 signs: the canonical request of the headers the client signed
 * (its own `X-Amz-Date`), the payload hash being the `x-amz-content-sha256` header when present
 * (already checked against the body, or to be checked once it is read), else the SHA-256 of the
 * body. The signing key is derived once per secret, day, region and service ({@link signingKey}).
 */
const expectedSignature = async (
  request: ReceivedRequest,
  claimed: ClaimedSignature,
  secretAccessKey: string,
  options: VerifySigV4Options,
): Promise<string | undefined> => {
  const url = requestUrl(request.target);
  if (url === undefined) return undefined;
  const payloadHash = header(request, SHA256_HEADER);
  // Sign exactly the headers the client signed; never add a payload-hash header of our own.
  const prepared = prepareRequest({
    method: request.method,
    protocol: 'http:',
    hostname: header(request, 'host') ?? '',
    path: url.pathname,
    query: groupValues(url.searchParams),
    headers: {
      ...(payloadHash !== undefined && { [SHA256_HEADER]: payloadHash }),
      ...Object.fromEntries(
        claimed.signedHeaders.map((name) => [name, header(request, name) ?? '']),
      ),
    },
    body: request.body ?? new Uint8Array(),
  });
  const longDate = claimed.amzDate;
  const shortDate = longDate.slice(0, 8);
  prepared.headers[AMZ_DATE_HEADER] = longDate;
  const hashOfPayload = await getPayloadHash(prepared, Hash.bind(null, 'sha256'));
  // The payload hash steers the signer even when the client did not sign the header itself.
  const unsignable =
    payloadHash !== undefined && !claimed.signedHeaders.includes(SHA256_HEADER)
      ? new Set([SHA256_HEADER])
      : undefined;
  const canonicalHeaders = getCanonicalHeaders(prepared, unsignable);
  const canonicalRequest = canonicalizerOf(options.service, options.region).of(
    prepared,
    canonicalHeaders,
    hashOfPayload,
  );
  const scope = createScope(shortDate, options.region, options.service);
  const stringToSign = [
    ALGORITHM_IDENTIFIER,
    longDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const key = signingKey(secretAccessKey, shortDate, options.region, options.service);
  return createHmac('sha256', key).update(stringToSign).digest('hex');
};

/**
 * Verifies an AWS Signature Version 4 `Authorization` header the way AWS does: parses the
 * credential scope, checks the key is known, the scope's date, region and service, that the
 * request time is within the allowed skew, then recomputes the signature over the canonical
 * request (only the headers the client signed, the body's hash) with the key's secret and
 * compares in constant time. Hardened: a second `Authorization`, `Host`, `X-Amz-Date` or
 * `x-amz-content-sha256` header is refused; `x-amz-content-sha256`, when present, must be the
 * body's SHA-256 (`UNSIGNED-PAYLOAD` only where `allowUnsignedPayload`); the signed `Host` must
 * be the endpoint's own, so a request signed for another endpoint cannot be replayed here. With
 * `deferPayload`, everything but the body is verified, before the body is read.
 *
 * @example
 * ```ts
 * const verdict = await verifySigV4(received, {
 *   secretOf, service: 'dynamodb', region, host: '127.0.0.1:8000', now: new Date(),
 * });
 * if (!verdict.ok) reply(403, verdict.message);
 * ```
 */
export const verifySigV4 = async (
  request: ReceivedRequest,
  options: VerifySigV4Options,
): Promise<SigV4Verdict> => {
  const repeated = repeatedHeader(request, SINGLE_HEADERS);
  if (repeated !== undefined) {
    return reject(
      'DUPLICATE_HEADER',
      `IncompleteSignatureException: The request has more than one '${repeated}' header.`,
    );
  }
  const claimed = claimedSignature(request);
  if (!claimed.ok) return claimed;
  const secret = options.secretOf(claimed.accessKeyId);
  if (secret === undefined) {
    return reject(
      'UNKNOWN_KEY',
      'UnrecognizedClientException: The security token included in the request is invalid.',
    );
  }
  const rejection = scopeOrTimeRejection(claimed, options);
  if (rejection !== undefined) return rejection;
  const payload = options.deferPayload
    ? unsignedPayloadHash(claimed)
    : payloadRejection(request, options);
  if (payload !== undefined) return payload;
  const expected = await expectedSignature(request, claimed, secret, options);
  const matches =
    expected !== undefined &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(claimed.signature));
  if (!matches) {
    return reject(
      'SIGNATURE_MISMATCH',
      'InvalidSignatureException: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  if (header(request, 'host') !== options.host) {
    return reject(
      'WRONG_HOST',
      `InvalidSignatureException: The request was signed for host '${header(request, 'host')}', not for this endpoint.`,
    );
  }
  return { ok: true, accessKeyId: claimed.accessKeyId, signedHeaders: claimed.signedHeaders };
};
