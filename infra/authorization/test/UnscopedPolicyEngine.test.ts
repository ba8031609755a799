import { describe, expect, it } from 'vitest';
import { PolicyDocumentError, UnscopedPolicyEngine } from '../src/index.js';

const document = `
permit(principal, action, resource)
when { context.user.groups.contains("Operators") && context.device.risk == "LOW" };

forbid(principal, action, resource)
when { context.request.path like "/admin/*" };
`;

describe('an unscoped policy document', () => {
  const engine = new UnscopedPolicyEngine('test', document);
  const request = (groups: string[], risk: string, path = '/orders') =>
    engine.isAuthorized({ user: { groups }, device: { risk }, request: { path } });

  it('allows by its conditions on the context alone, naming the policy that decided', () => {
    expect(request(['Operators'], 'LOW')).toEqual({
      decision: 'ALLOW',
      determiningPolicies: ['policy0'],
      errors: [],
    });
  });

  it('denies when no permit matches', () => {
    expect(request(['Operators'], 'HIGH')).toEqual({
      decision: 'DENY',
      determiningPolicies: [],
      errors: [],
    });
  });

  it('denies when a forbid matches, naming the forbid', () => {
    expect(request(['Operators'], 'LOW', '/admin/stock')).toMatchObject({
      decision: 'DENY',
      determiningPolicies: ['policy1'],
    });
  });

  it('skips a policy whose condition reads what the context lacks, and reports it', () => {
    const decision = engine.isAuthorized({ device: { risk: 'LOW' }, request: { path: '/' } });
    expect(decision.decision).toBe('DENY');
    expect(decision.errors).toEqual([expect.stringMatching(/^policy0: .*user/)]);
  });

  it('refuses a document that does not parse', () => {
    expect(() => new UnscopedPolicyEngine('broken', 'permit(principal, action')).toThrow(
      PolicyDocumentError,
    );
  });
});
