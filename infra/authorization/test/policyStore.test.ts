import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CedarPolicyEngine,
  loadPolicyStore,
  PolicyStoreError,
  policyStoreProblems,
  schemaJsonOf,
} from '../src/index.js';

const schema = `namespace Shop {
  entity UserGroup;
  entity User in [UserGroup];
  entity Doc = { owner: User };
  action Read appliesTo { principal: User, resource: Doc };
}`;
const store = (policies: Record<string, string>) => ({ service: 'test', schema, policies });
const alice = { type: 'Shop::User', id: 'alice' };
const doc = (owner: string) => ({
  uid: { type: 'Shop::Doc', id: 'd1' },
  attrs: { owner: { type: 'Shop::User', id: owner } },
  parents: [],
});
const read = (owner: string) => ({
  principal: alice,
  action: { type: 'Shop::Action', id: 'Read' },
  resource: { type: 'Shop::Doc', id: 'd1' },
  entities: [
    doc(owner),
    { uid: alice, attrs: {}, parents: [{ type: 'Shop::UserGroup', id: 'Readers' }] },
  ],
});

describe('policy stores', () => {
  it('load a schema and one policy per .cedar file, named after the file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'policies-'));
    writeFileSync(join(directory, 'schema.cedarschema'), schema);
    writeFileSync(join(directory, 'owners-read.cedar'), 'permit (principal, action, resource);');
    writeFileSync(join(directory, 'notes.txt'), 'not a policy');

    expect(loadPolicyStore('test', directory)).toEqual({
      service: 'test',
      schema,
      policies: { 'owners-read': 'permit (principal, action, resource);' },
    });
  });

  it('report policies that do not validate against the schema, and a schema that does not parse', () => {
    expect(policyStoreProblems(store({ ok: 'permit (principal, action, resource);' }))).toEqual([]);
    expect(
      policyStoreProblems(
        store({
          typo: 'permit (principal, action, resource) when { resource.ownr == principal };',
        }),
      ),
    ).toEqual([expect.stringMatching(/^typo: .*ownr/)]);
    expect(
      policyStoreProblems(
        store({ unknown: 'permit (principal, action == Shop::Action::"Write", resource);' }),
      ),
    ).toHaveLength(1);
    expect(policyStoreProblems({ ...store({}), schema: 'namespace {' })[0]).toMatch(/^schema: /);
    expect(
      () =>
        new CedarPolicyEngine(
          store({
            typo: 'permit (principal, action, resource) when { resource.ownr == principal };',
          }),
        ),
    ).toThrow(PolicyStoreError);
  });
});

describe('CedarPolicyEngine', () => {
  const engine = new CedarPolicyEngine(
    store({
      'owners-read':
        'permit (principal, action == Shop::Action::"Read", resource) when { resource.owner == principal };',
      'no-blocked': 'forbid (principal in Shop::UserGroup::"Blocked", action, resource);',
    }),
  );

  it('allows what a policy permits and says which policy decided', () => {
    expect(engine.isAuthorized(read('alice'))).toEqual({
      decision: 'ALLOW',
      determiningPolicies: ['owners-read'],
      errors: [],
    });
  });

  it('denies by default, and when a forbid matches', () => {
    expect(engine.isAuthorized(read('bob'))).toMatchObject({
      decision: 'DENY',
      determiningPolicies: [],
    });
    const blocked = read('alice');
    expect(
      engine.isAuthorized({
        ...blocked,
        entities: [
          doc('alice'),
          { uid: alice, attrs: {}, parents: [{ type: 'Shop::UserGroup', id: 'Blocked' }] },
        ],
      }),
    ).toMatchObject({ decision: 'DENY', determiningPolicies: ['no-blocked'] });
  });

  it('denies a request the schema does not allow, with the reason', () => {
    const answer = engine.isAuthorized({
      ...read('alice'),
      action: { type: 'Shop::Action', id: 'Delete' },
    });

    expect(answer.decision).toBe('DENY');
    expect(answer.errors.join()).toMatch(/Delete/);
  });

  it('gives the schema as JSON, as Verified Permissions takes it', () => {
    expect(JSON.parse(schemaJsonOf(engine.store))).toMatchObject({
      Shop: { entityTypes: expect.objectContaining({ Doc: expect.anything() }) },
    });
  });
});
