import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AuthorizationQuestion,
  CedarPolicyEngine,
  loadPolicyStore,
  UnscopedPolicyEngine,
} from '@shop/authorization';
import {
  type EntityRef,
  queryCatalogue,
  SERVICE_NAMES,
  type ServiceManifest,
} from '@shop/contracts';
import { inventoryService } from '@shop/inventory/service';
import { orderService } from '@shop/order/service';
import { paymentService } from '@shop/payment/service';
import { STAFF_ACCESS_POLICY_FILE, staffAccessPolicy } from '@shop/platform';
import { describe, expect, it } from 'vitest';

const storeOf = (service: string) =>
  new CedarPolicyEngine(
    loadPolicyStore(
      service,
      dirname(fileURLToPath(import.meta.resolve(`@shop/${service}/policies/schema.cedarschema`))),
    ),
  );
const engines = Object.fromEntries(SERVICE_NAMES.map((service) => [service, storeOf(service)]));

const GROUPS = [
  'RegularCustomers',
  'BannedCustomers',
  'Operators',
  'Admins',
  '(no group)',
] as const;
type Group = (typeof GROUPS)[number];
type Ownership = 'own' | 'other' | '-';

const ME: EntityRef = { type: 'Shop::User', id: 'me' };
const SOMEONE: EntityRef = { type: 'Shop::User', id: 'someone-else' };

/** One user action of a store, the resource it acts on, and whether ownership matters. */
interface UserAction {
  readonly store: (typeof SERVICE_NAMES)[number];
  readonly action: string;
  readonly resource: (owner: EntityRef) => { uid: EntityRef; attrs: Record<string, unknown> };
  readonly owned: boolean;
}
const plain = (type: string, id: string) => () => ({ uid: { type, id }, attrs: {} });
const order = (owner: EntityRef) => ({
  uid: { type: 'Shop::Order', id: 'o-1' },
  attrs: { owner: { __entity: owner } },
});
const USER_ACTIONS: readonly UserAction[] = [
  { store: 'order', action: 'PlaceOrder', resource: plain('Shop::OrderBook', 'all'), owned: false },
  {
    store: 'order',
    action: 'ListOwnOrders',
    resource: plain('Shop::OrderBook', 'all'),
    owned: false,
  },
  { store: 'order', action: 'ViewOrder', resource: order, owned: true },
  { store: 'order', action: 'CancelOrder', resource: order, owned: true },
  {
    store: 'order',
    action: 'ListAllOrders',
    resource: plain('Shop::OrderBook', 'all'),
    owned: false,
  },
  {
    store: 'order',
    action: 'ViewDeadLetters',
    resource: plain('Shop::DeadLetterQueue', 'order-events-dlq'),
    owned: false,
  },
  {
    store: 'order',
    action: 'RedriveDeadLetters',
    resource: plain('Shop::DeadLetterQueue', 'order-events-dlq'),
    owned: false,
  },
  {
    store: 'inventory',
    action: 'ViewCatalogue',
    resource: plain('Shop::Catalogue', 'all'),
    owned: false,
  },
  {
    store: 'inventory',
    action: 'PutProduct',
    resource: plain('Shop::Product', 'MUG-001'),
    owned: false,
  },
  {
    store: 'inventory',
    action: 'ViewStock',
    resource: plain('Shop::Product', 'MUG-001'),
    owned: false,
  },
  {
    store: 'inventory',
    action: 'SetStock',
    resource: plain('Shop::Product', 'MUG-001'),
    owned: false,
  },
  {
    store: 'inventory',
    action: 'ViewDeadLetters',
    resource: plain('Shop::DeadLetterQueue', 'inventory-events-dlq'),
    owned: false,
  },
  {
    store: 'inventory',
    action: 'RedriveDeadLetters',
    resource: plain('Shop::DeadLetterQueue', 'inventory-events-dlq'),
    owned: false,
  },
  {
    store: 'payment',
    action: 'ViewPaymentDetails',
    resource: plain('Shop::Payment', 'o-1'),
    owned: false,
  },
  {
    store: 'payment',
    action: 'ViewDeadLetters',
    resource: plain('Shop::DeadLetterQueue', 'payment-events-dlq'),
    owned: false,
  },
  {
    store: 'payment',
    action: 'RedriveDeadLetters',
    resource: plain('Shop::DeadLetterQueue', 'payment-events-dlq'),
    owned: false,
  },
];

/** The rules, in words: what the policies must decide. */
const expected = (group: Group, action: string, ownership: Ownership): boolean => {
  const staff = group === 'Operators' || group === 'Admins';
  if (action === 'ViewCatalogue') return true;
  if (group === 'BannedCustomers') return false;
  switch (action) {
    case 'PlaceOrder':
    case 'ListOwnOrders':
      return group === 'RegularCustomers';
    case 'ViewOrder':
      return staff || (group === 'RegularCustomers' && ownership === 'own');
    case 'CancelOrder':
      return group === 'RegularCustomers' && ownership === 'own';
    case 'ListAllOrders':
    case 'ViewStock':
    case 'SetStock':
    case 'ViewDeadLetters':
      return staff;
    default:
      return group === 'Admins'; // PutProduct, ViewPaymentDetails, RedriveDeadLetters
  }
};

interface Row {
  readonly store: string;
  readonly principal: string;
  readonly action: string;
  readonly ownership: Ownership;
  readonly expected: 'ALLOW' | 'DENY';
  readonly actual: 'ALLOW' | 'DENY';
  readonly policies: readonly string[];
}

const decide = (store: string, question: AuthorizationQuestion) => {
  const engine = engines[store];
  if (engine === undefined) throw new Error(`no store ${store}`);
  return engine.isAuthorized(question);
};

const userRows = (): Row[] =>
  GROUPS.flatMap((group) =>
    USER_ACTIONS.flatMap((userAction) =>
      (userAction.owned ? (['own', 'other'] as const) : (['-'] as const)).map((ownership) => {
        const resource = userAction.resource(ownership === 'other' ? SOMEONE : ME);
        const answer = decide(userAction.store, {
          principal: ME,
          action: { type: 'Shop::Action', id: userAction.action },
          resource: resource.uid,
          entities: [
            {
              uid: ME,
              attrs: {},
              parents: group === '(no group)' ? [] : [{ type: 'Shop::UserGroup', id: group }],
            },
            { uid: resource.uid, attrs: resource.attrs, parents: [] },
          ],
        });
        return {
          store: userAction.store,
          principal: group,
          action: userAction.action,
          ownership,
          expected: expected(group, userAction.action, ownership) ? 'ALLOW' : 'DENY',
          actual: answer.decision,
          policies: answer.determiningPolicies,
        } as const;
      }),
    ),
  );

/** Every Lattice query against every calling service: allowed exactly when its provider consents. */
const serviceRows = (): Row[] =>
  SERVICE_NAMES.flatMap((caller) =>
    queryCatalogue.map((query) => {
      const resource =
        query.provider === 'payment'
          ? { type: 'Shop::Payment', id: 'o-1' }
          : query.name === 'ListProducts'
            ? { type: 'Shop::Catalogue', id: 'all' }
            : { type: 'Shop::Product', id: 'MUG-001' };
      const answer = decide(query.provider, {
        principal: { type: 'Shop::Service', id: caller },
        action: { type: 'Shop::Action', id: query.name },
        resource,
        entities: [],
      });
      const declared = [orderService, inventoryService, paymentService].some(
        (provider) => provider.queries?.callers[caller]?.includes(query) === true,
      );
      return {
        store: query.provider,
        principal: `service ${caller}`,
        action: query.name,
        ownership: '-',
        expected: declared ? 'ALLOW' : 'DENY',
        actual: answer.decision,
        policies: answer.determiningPolicies,
      } as const;
    }),
  );

/** One request before the staff routes: who, from which device, with which factors. */
interface StaffEntryRow {
  readonly group: Group;
  readonly risk: string;
  readonly mfa: boolean;
  readonly expected: 'ALLOW' | 'DENY';
  readonly actual: 'ALLOW' | 'DENY';
  readonly policies: readonly string[];
}

const STAFF_ENTRY = new UnscopedPolicyEngine('staff-access', staffAccessPolicy());

/**
 * Every group, device risk and sign-in with or without a second factor against the staff
 * group's Verified Access policy, with the context Verified Access builds (`context.staff`,
 * `context.jamf`).
 */
const staffEntryRows = (): StaffEntryRow[] =>
  GROUPS.flatMap((group) =>
    ['SECURE', 'LOW', 'MEDIUM', 'HIGH'].flatMap((risk) =>
      [true, false].map((mfa) => {
        const answer = STAFF_ENTRY.isAuthorized({
          staff: {
            sub: 'me',
            'cognito:groups': group === '(no group)' ? [] : [group],
            ...(mfa && { second_factor: 'totp' }),
          },
          jamf: { risk, osv: '15.1.0', groups: [] },
        });
        const compliant = risk === 'SECURE' || risk === 'LOW';
        const allowed = compliant && (group === 'Operators' || (group === 'Admins' && mfa));
        return {
          group,
          risk,
          mfa,
          expected: allowed ? 'ALLOW' : 'DENY',
          actual: answer.decision,
          policies: answer.determiningPolicies,
        } as const;
      }),
    ),
  );

/** The actions of the staff routes, by service: what only the staff entry reaches. */
const staffActions = () =>
  ([orderService, inventoryService, paymentService] as readonly ServiceManifest[]).map(
    (manifest) => ({
      service: manifest.name,
      actions: [
        ...new Set(
          Object.values(manifest.functions)
            .filter((fn) => fn.trigger === 'staff')
            .flatMap((fn) => Object.values(fn.routes ?? {}).map((route) => route.action)),
        ),
      ],
    }),
  );

const markdown = (rows: readonly Row[], entry: readonly StaffEntryRow[]) => {
  const policyCount = Object.values(engines).reduce(
    (sum, engine) => sum + Object.keys(engine.store.policies).length,
    0,
  );
  const lines = [
    '# Authorization, proven',
    '',
    'Generated by `test/authorization/test/authorizationMatrix.test.ts`: every group and every',
    "calling service against every action of every service's Cedar policy store",
    '(`services/<service>/policies/`), for a resource the principal owns and one it does not where',
    'ownership matters, evaluated with cedar-wasm. The test fails on any decision that differs from',
    'the rules written in the test. Deny is the default: a decision with no policy listed is DENY.',
    '',
    `${Object.keys(engines).length} policy stores, ${policyCount} policies, ${rows.length} decisions: ${
      rows.filter((r) => r.actual === 'ALLOW').length
    } ALLOW, ${rows.filter((r) => r.actual === 'DENY').length} DENY.`,
  ];
  for (const store of SERVICE_NAMES) {
    lines.push(
      '',
      `## ${store}`,
      '',
      '| Principal | Action | Resource | Decision | Decided by |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const row of rows.filter((r) => r.store === store)) {
      lines.push(
        `| ${row.principal} | ${row.action} | ${row.ownership === '-' ? '' : row.ownership} | ${row.actual} | ${row.policies.join(', ')} |`,
      );
    }
  }
  lines.push(
    '',
    '## The staff entry (Verified Access)',
    '',
    'A staff route is reached only through Verified Access and the staff load balancer (ADR 0021),',
    "then decided by its service's Cedar policies above. The actions of the staff routes:",
    '',
    ...staffActions().map(
      ({ service, actions }) => `- ${service}: ${actions.map((a) => `\`${a}\``).join(', ')}`,
    ),
    '',
    `Verified Access first evaluates the staff group's policy (\`${STAFF_ACCESS_POLICY_FILE.pathname.split('/').slice(-3).join('/')}\`,`,
    "policies named `policy0`, `policy1`, ... in document order) with the user trust provider's claims",
    "as `context.staff` and the device trust provider's as `context.jamf`. Every group, device risk and",
    'sign-in with (`second_factor` set to `totp`) or without a second factor:',
    '',
    '| Group | Device risk | Second factor | Decision | Decided by |',
    '| --- | --- | --- | --- | --- |',
    ...entry.map(
      (row) =>
        `| ${row.group} | ${row.risk} | ${row.mfa ? 'yes' : 'no'} | ${row.actual} | ${row.policies.join(', ')} |`,
    ),
  );
  return `${lines.join('\n')}\n`;
};

describe('the authorization matrix', () => {
  const rows = [...userRows(), ...serviceRows()];
  const entry = staffEntryRows();

  it('lets through the staff entry exactly Operators, and Admins with a second factor, from a compliant device', () => {
    expect(entry.filter((row) => row.actual !== row.expected)).toEqual([]);
  });

  it('decides every group, action and ownership as the rules say', () => {
    expect(rows.filter((row) => row.actual !== row.expected)).toEqual([]);
  });

  it('lets a calling service run exactly the queries it declared', () => {
    expect(
      rows
        .filter((row) => row.principal.startsWith('service') && row.actual === 'ALLOW')
        .map((r) => `${r.principal} ${r.action}`),
    ).toEqual(['service order ListProducts', 'service order GetPayment']);
  });

  it('catches a policy that grants too much', () => {
    const loose = new CedarPolicyEngine({
      ...engines['payment']?.store,
      service: 'payment',
      schema: engines['payment']?.store.schema ?? '',
      policies: {
        ...engines['payment']?.store.policies,
        'staff-view-payment-details':
          'permit (principal in Shop::UserGroup::"Operators", action == Shop::Action::"ViewPaymentDetails", resource);',
      },
    });
    const answer = loose.isAuthorized({
      principal: ME,
      action: { type: 'Shop::Action', id: 'ViewPaymentDetails' },
      resource: { type: 'Shop::Payment', id: 'o-1' },
      entities: [{ uid: ME, attrs: {}, parents: [{ type: 'Shop::UserGroup', id: 'Operators' }] }],
    });

    expect(answer.decision).not.toBe(
      expected('Operators', 'ViewPaymentDetails', '-') ? 'ALLOW' : 'DENY',
    );
  });

  it('is documented in docs/security/authorization.md', async () => {
    await expect(markdown(rows, entry)).toMatchFileSnapshot(
      '../../../docs/security/authorization.md',
    );
  });
});
