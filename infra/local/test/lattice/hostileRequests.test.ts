import { createHash } from 'node:crypto';
import { serviceNetworkAuthPolicy } from '@shop/topology';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LatticeGateway,
  type LatticePrincipal,
  startLatticeGateway,
} from '../../src/lattice/index.js';
import { hostileRequests } from '../hostileRequests.js';
import { type RawRequest, rawRequest } from '../rawHttp.js';

const SEED = 20260101;
const REGION = 'eu-west-1';
const ACCOUNT = '000000000000';
const ORGANIZATION = 'o-localshop00';
const caller: LatticePrincipal = {
  accessKeyId: 'localorder',
  secretAccessKey: 'secret-order',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/shop/order/order-local`,
  sessionName: 'order',
  account: ACCOUNT,
  organizationId: ORGANIZATION,
};
const errors: unknown[] = [];
let gateway: LatticeGateway;
let url: URL;

beforeAll(async () => {
  gateway = await startLatticeGateway({
    region: REGION,
    account: ACCOUNT,
    serviceNetwork: {
      name: 'fuzz',
      authPolicy: serviceNetworkAuthPolicy({
        organizationId: ORGANIZATION,
        services: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/*`,
      }),
    },
    // A trivial target behind a service policy that lets the caller in on any path and method.
    services: [
      {
        name: 'fuzz',
        port: 0,
        authPolicy: (serviceArn) => ({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 'vpc-lattice-svcs:Invoke',
              Resource: `${serviceArn}/*`,
              Condition: { ArnLike: { 'aws:PrincipalArn': caller.roleArn } },
            },
          ],
        }),
        invoke: async (event) => ({
          kind: 'result',
          payload: { statusCode: 200, body: JSON.stringify(event) },
        }),
      },
    ],
    principals: [caller],
    onError: (error) => errors.push(error),
  });
  url = new URL(gateway.services[0]?.url ?? '');
});

afterAll(() => gateway.close());

/** The request signed by the caller, over its path and query as sent, its payload hash claimed. */
const signed = async (request: RawRequest, payload: string): Promise<RawRequest> => {
  const [path = '', search = ''] = request.path.split(/\?(.*)/s);
  const query: Record<string, string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(search)) {
    query[name] = [...(query[name] ?? []), value];
  }
  const signer = new SignatureV4({
    service: 'vpc-lattice-svcs',
    region: REGION,
    credentials: caller,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const { headers } = await signer.sign({
    method: request.method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query,
    headers: { host: url.host, 'x-amz-content-sha256': payload },
  });
  const { host: _host, ...rest } = headers;
  return { ...request, headers: [...Object.entries(rest), ...(request.headers ?? [])] };
};

describe('the local Lattice gateway, given a few hundred hostile requests', () => {
  it(`answers each with less than 500 (seed ${SEED})`, async () => {
    const failures: string[] = [];
    let reached = 0;

    for (const [index, request] of hostileRequests(SEED, 300).entries()) {
      const hash = createHash('sha256')
        .update(request.body ?? '')
        .digest('hex');
      const sent =
        index % 3 === 0
          ? request
          : await signed(request, index % 3 === 1 ? 'UNSIGNED-PAYLOAD' : hash);
      const response = await rawRequest(url.origin, sent);
      if (response.status >= 500) failures.push(`${response.status} ${JSON.stringify(request)}`);
      if (response.status === 200) reached += 1;
    }

    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    expect(reached).toBeGreaterThan(100);
  }, 60_000);
});
