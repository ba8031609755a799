import {
  IsAuthorizedCommand,
  VerifiedPermissionsClient,
} from '@aws-sdk/client-verifiedpermissions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/http/jsonProtocolServer.js';
import { startVerifiedPermissions } from '../../src/verifiedPermissions/index.js';

const schema = `namespace Shop {
  entity UserGroup;
  entity User in [UserGroup];
  entity Order = { owner: User, total: Long };
  action ViewOrder appliesTo { principal: User, resource: Order, context: { mfa: Bool } };
}`;
const policies = {
  'owners-view':
    'permit (principal, action == Shop::Action::"ViewOrder", resource) when { resource.owner == principal && context.mfa };',
  banned: 'forbid (principal in Shop::UserGroup::"BannedCustomers", action, resource);',
};

let server: RunningServer;
let client: VerifiedPermissionsClient;

beforeAll(async () => {
  server = await startVerifiedPermissions({
    port: 0,
    stores: { 'store-1': { service: 'order', schema, policies } },
  });
  client = new VerifiedPermissionsClient({
    region: 'eu-west-1',
    endpoint: server.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

const ask = (owner: string, groups: string[] = [], mfa = true, policyStoreId = 'store-1') =>
  client.send(
    new IsAuthorizedCommand({
      policyStoreId,
      principal: { entityType: 'Shop::User', entityId: 'alice' },
      action: { actionType: 'Shop::Action', actionId: 'ViewOrder' },
      resource: { entityType: 'Shop::Order', entityId: 'o-1' },
      context: { contextMap: { mfa: { boolean: mfa } } },
      entities: {
        entityList: [
          {
            identifier: { entityType: 'Shop::User', entityId: 'alice' },
            parents: groups.map((entityId) => ({ entityType: 'Shop::UserGroup', entityId })),
          },
          {
            identifier: { entityType: 'Shop::Order', entityId: 'o-1' },
            attributes: {
              owner: { entityIdentifier: { entityType: 'Shop::User', entityId: owner } },
              total: { long: 1299 },
            },
          },
        ],
      },
    }),
  );

describe('the local Verified Permissions endpoint', () => {
  it('answers IsAuthorized through the real SDK client with the deciding policies', async () => {
    expect(await ask('alice')).toMatchObject({
      decision: 'ALLOW',
      determiningPolicies: [{ policyId: 'owners-view' }],
      errors: [],
    });
  });

  it('denies by default, on a forbid, and on a context that does not satisfy the policy', async () => {
    expect(await ask('bob')).toMatchObject({ decision: 'DENY', determiningPolicies: [] });
    expect(await ask('alice', ['BannedCustomers'])).toMatchObject({
      decision: 'DENY',
      determiningPolicies: [{ policyId: 'banned' }],
    });
    expect(await ask('alice', [], false)).toMatchObject({ decision: 'DENY' });
  });

  it('takes entities and context as Cedar JSON too', async () => {
    const answer = await client.send(
      new IsAuthorizedCommand({
        policyStoreId: 'store-1',
        principal: { entityType: 'Shop::User', entityId: 'alice' },
        action: { actionType: 'Shop::Action', actionId: 'ViewOrder' },
        resource: { entityType: 'Shop::Order', entityId: 'o-1' },
        context: { cedarJson: JSON.stringify({ mfa: true }) },
        entities: {
          cedarJson: JSON.stringify([
            { uid: { type: 'Shop::User', id: 'alice' }, attrs: {}, parents: [] },
            {
              uid: { type: 'Shop::Order', id: 'o-1' },
              attrs: { owner: { __entity: { type: 'Shop::User', id: 'alice' } }, total: 5 },
              parents: [],
            },
          ]),
        },
      }),
    );

    expect(answer.decision).toBe('ALLOW');
  });

  it('denies a request that does not match the schema, saying why, and refuses an unknown store', async () => {
    const wrong = await client.send(
      new IsAuthorizedCommand({
        policyStoreId: 'store-1',
        principal: { entityType: 'Shop::User', entityId: 'alice' },
        action: { actionType: 'Shop::Action', actionId: 'DeleteOrder' },
        resource: { entityType: 'Shop::Order', entityId: 'o-1' },
      }),
    );
    expect(wrong.decision).toBe('DENY');
    expect(wrong.errors?.[0]?.errorDescription).toMatch(/DeleteOrder/);

    await expect(ask('alice', [], true, 'store-2')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('refuses to start with policies that do not validate against the schema', async () => {
    await expect(
      startVerifiedPermissions({
        port: 0,
        stores: {
          bad: {
            service: 'order',
            schema,
            policies: {
              typo: 'permit (principal, action, resource) when { resource.ownr == principal };',
            },
          },
        },
      }),
    ).rejects.toThrow(/typo: /);
  });
});
