import { SHOP_LOG_GROUPS } from '@shop/contracts';
import { describe, expect, it } from 'vitest';
import {
  authorizerDecisionMessage,
  DECISION_LOG_STREAM,
  decisionLogWriter,
  iamDecisionMessage,
  LogGroups,
  latticeDecisionMessage,
  verifiedAccessDecisionMessage,
  verifiedPermissionsDecisionMessage,
} from '../../src/logs/index.js';

// Now: a log group takes no event older than 14 days.
const at = new Date();
const ROLE = 'arn:aws:iam::000000000000:role/shop/order/order-place';
const SESSION = 'arn:aws:sts::000000000000:assumed-role/order-place/order-place';
const TABLE = 'arn:aws:dynamodb:eu-west-1:000000000000:table/orders';
const NETWORK = 'arn:aws:vpc-lattice:eu-west-1:000000000000:servicenetwork/sn-1';
const SERVICE = 'arn:aws:vpc-lattice:eu-west-1:000000000000:service/svc-1';

const lattice = (overrides: Record<string, unknown>) =>
  latticeDecisionMessage({
    startTime: at.toISOString(),
    requestId: 'r',
    serviceNetworkArn: NETWORK,
    serviceArn: SERVICE,
    targetGroupArn: 'tg',
    requestMethod: 'GET',
    requestPath: '/products',
    protocol: 'HTTP/1.1',
    responseCode: 200,
    duration: 1,
    requestToTargetDuration: 1,
    callerPrincipal: SESSION,
    resolvedUser: SESSION,
    authDeniedReason: null,
    failureReason: null,
    userAgent: null,
    sourceIpPort: '127.0.0.1:1',
    ...overrides,
  });

describe('decision log messages', () => {
  it('names the ARN whose IAM policy decided, and none when no policy allows', () => {
    const entry = {
      kind: 'dynamodb' as const,
      operation: 'GetItem',
      principal: SESSION,
      roleArn: ROLE,
      action: 'dynamodb:GetItem',
      resource: TABLE,
    };
    expect(
      iamDecisionMessage({ ...entry, decision: 'Allow', reason: 'IdentityPolicy' }, at),
    ).toEqual({
      kind: 'iam',
      decision: 'Allow',
      principal: SESSION,
      action: 'dynamodb:GetItem',
      resource: TABLE,
      policies: [ROLE],
      reason: 'IdentityPolicy',
      at: at.toISOString(),
    });
    expect(
      iamDecisionMessage({ ...entry, decision: 'Deny', reason: 'ExplicitDenyInResourcePolicy' }, at)
        .policies,
    ).toEqual([TABLE]);
    expect(
      iamDecisionMessage({ ...entry, decision: 'Deny', reason: 'NoAllow' }, at).policies,
    ).toEqual([]);
    expect(
      iamDecisionMessage(
        {
          ...entry,
          principal: undefined,
          action: undefined,
          resource: undefined,
          decision: 'Deny',
          reason: 'MissingAuthentication',
        },
        at,
      ),
    ).toMatchObject({ principal: 'anonymous', action: 'GetItem', resource: '*' });
  });

  it("reads Lattice's access log: both auth policies allow, or the one that denied", () => {
    expect(lattice({})).toEqual({
      kind: 'lattice',
      decision: 'Allow',
      principal: SESSION,
      action: 'vpc-lattice-svcs:Invoke',
      resource: `${SERVICE}/products`,
      policies: [NETWORK, SERVICE],
      reason: 'Allowed',
      at: at.toISOString(),
    });
    expect(
      lattice({ authDeniedReason: 'Service', failureReason: 'ClientAccessDenied' }),
    ).toMatchObject({ decision: 'Deny', policies: [SERVICE], reason: 'Service' });
    expect(
      lattice({
        callerPrincipal: null,
        resolvedUser: 'Unknown',
        failureReason: 'ClientAccessDenied',
      }),
    ).toMatchObject({
      decision: 'Deny',
      principal: 'Unknown',
      policies: [],
      reason: 'ClientAccessDenied',
    });
    // A target that failed after the auth policies allowed: still an Allow.
    expect(lattice({ failureReason: 'TargetProtocolError', responseCode: 502 }).decision).toBe(
      'Allow',
    );
  });

  it('writes Verified Access, authorizer and Verified Permissions decisions in their own terms', () => {
    expect(
      verifiedAccessDecisionMessage(
        {
          kind: 'verified-access',
          instanceArn: 'arn:aws:ec2:eu-west-1:000000000000:verified-access-instance/vai-1',
          method: 'GET',
          path: '/order/admin/orders',
          user: 'sub-1',
          device: 'device-1',
          decision: 'Allow',
          reason: 'PolicyAllowed',
          policies: ['policy0'],
          errors: [],
        },
        at,
      ),
    ).toMatchObject({
      principal: 'sub-1 on device-1',
      action: 'GET /order/admin/orders',
      policies: ['policy0'],
      reason: 'PolicyAllowed',
    });
    expect(
      authorizerDecisionMessage(
        {
          api: 'shop-order',
          methodArn: 'arn:aws:execute-api:eu-west-1:000000000000:a1/live/GET/orders',
          principalId: 'sub-1',
          decision: 'Allow',
          reason: 'Allow',
        },
        at,
      ),
    ).toMatchObject({ principal: 'sub-1', policies: ['shop-order'], reason: 'Allow' });
    const asked = {
      policyStoreId: 'ps',
      principal: { type: 'Shop::User', id: 'alice' },
      action: { type: 'Shop::Action', id: 'ViewOrder' },
      resource: { type: 'Shop::Order', id: 'o-1' },
    };
    expect(
      verifiedPermissionsDecisionMessage(
        { ...asked, decision: 'ALLOW', determiningPolicies: ['owners-view'], errors: [] },
        at,
      ),
    ).toMatchObject({
      decision: 'Allow',
      principal: 'Shop::User::"alice"',
      action: 'Shop::Action::"ViewOrder"',
      resource: 'Shop::Order::"o-1"',
      policies: ['owners-view'],
      reason: 'PermitMatched',
    });
    expect(
      verifiedPermissionsDecisionMessage(
        { ...asked, decision: 'DENY', determiningPolicies: ['banned'], errors: [] },
        at,
      ).reason,
    ).toBe('ForbidMatched');
  });

  it('writes each decision as one JSON message to the log group of its kind', () => {
    const groups = new LogGroups({ region: 'eu-west-1', account: '000000000000' });
    const write = decisionLogWriter(groups);
    write(lattice({}));
    write(lattice({ authDeniedReason: 'Network' }));
    const written = groups.filter(SHOP_LOG_GROUPS.decisions.lattice, {
      filterPattern: '{ $.decision = "Deny" }',
      limit: 10,
    });
    expect(written.events.map((event) => [event.logStreamName, event.timestamp])).toEqual([
      [DECISION_LOG_STREAM, at.getTime()],
    ]);
    expect(JSON.parse(written.events[0]?.message ?? '')).toMatchObject({ policies: [NETWORK] });
    expect(groups.describe('/shop/decisions/').map((group) => group.logGroupName)).toEqual([
      SHOP_LOG_GROUPS.decisions.lattice,
    ]);
  });
});
