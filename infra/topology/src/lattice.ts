import {
  type AnyQueryDefinition,
  functionName,
  policyPath,
  type ServiceManifest,
  type ServiceName,
} from '@shop/contracts';

/** The IAM path of every role a service's stack creates: `/shop/<service>/`. */
export const serviceRolePath = (service: ServiceName): string => `/shop/${service}/`;

/** One route of a Lattice service: the method and path template, and the path its policies name. */
export interface QueryRoute {
  readonly name: string;
  readonly method: 'GET';
  /** The template, e.g. `/products/{sku}`. */
  readonly path: string;
  /** The auth-policy resource path, e.g. `/products/*`. */
  readonly policyPath: string;
}

/** One service's queries as a VPC Lattice service with a Lambda target, and who may call what. */
export interface LatticeServiceTopology {
  readonly service: ServiceName;
  /** The Lattice service's name, e.g. `shop-inventory`. */
  readonly latticeServiceName: string;
  /** The function behind the listener (Lambda event structure V2). */
  readonly functionName: string;
  readonly routes: readonly QueryRoute[];
  /** Each calling service and exactly the routes the provider lets it call. */
  readonly callers: readonly {
    readonly service: ServiceName;
    readonly routes: readonly QueryRoute[];
  }[];
}

const routeOf = (query: AnyQueryDefinition): QueryRoute => ({
  name: query.name,
  method: query.method,
  path: query.path,
  policyPath: policyPath(query.path),
});

/**
 * A service's queries as a Lattice service, or undefined if it offers none: its routes from the
 * query contracts, its callers from the consent its manifest gives them.
 *
 * @example
 * ```ts
 * latticeServiceOf(inventoryService)?.latticeServiceName; // 'shop-inventory'
 * ```
 */
export const latticeServiceOf = (manifest: ServiceManifest): LatticeServiceTopology | undefined => {
  const handler = Object.entries(manifest.functions).find(([, fn]) => fn.trigger === 'lattice');
  if (manifest.queries === undefined || handler === undefined) return undefined;
  return {
    service: manifest.name,
    latticeServiceName: `shop-${manifest.name}`,
    functionName: functionName(manifest.name, handler[0]),
    routes: manifest.queries.offers.map(routeOf),
    callers: Object.entries(manifest.queries.callers).flatMap(([caller, queries]) =>
      queries === undefined || queries.length === 0
        ? []
        : [{ service: caller as ServiceName, routes: queries.map(routeOf) }],
    ),
  };
};

/** An IAM policy document, as the Lattice auth policies and identity policies are written. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

/**
 * The service network's guardrail: any Lattice service on the network may be invoked only by an
 * authenticated principal of the organization. Deployed by the platform stack, evaluated by the
 * local Lattice gateway.
 *
 * @example
 * ```ts
 * serviceNetworkAuthPolicy({ organizationId: 'o-abc1234567', services: 'arn:aws:vpc-lattice:eu-west-1:123456789012:service/*' });
 * ```
 */
export const serviceNetworkAuthPolicy = (props: {
  readonly organizationId: string;
  /** The ARN pattern of every service in the account and region. */
  readonly services: string;
}): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'OrganizationAuthenticatedOnly',
      Effect: 'Allow',
      Principal: '*',
      Action: 'vpc-lattice-svcs:Invoke',
      Resource: props.services,
      Condition: {
        StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
        StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' },
      },
    },
  ],
});

const routeResources = (serviceArn: string, routes: readonly QueryRoute[]): string[] => [
  ...new Set(routes.map((route) => `${serviceArn}${route.policyPath}`)),
];

/**
 * A Lattice service's own auth policy: each caller's roles (`/shop/<caller>/`) may `GET` exactly
 * the paths the provider lets it call, nothing else. Deployed by the provider's stack, evaluated
 * by the local Lattice gateway.
 *
 * @example
 * ```ts
 * serviceAuthPolicy(inventory, { serviceArn, roleArnPattern: (s) => `arn:aws:iam::123456789012:role/shop/${s}/*` });
 * ```
 */
export const serviceAuthPolicy = (
  lattice: LatticeServiceTopology,
  props: {
    readonly serviceArn: string;
    /** The ARN pattern of a service's roles, e.g. `arn:aws:iam::<account>:role/shop/<service>/*`. */
    readonly roleArnPattern: (service: ServiceName) => string;
  },
): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: lattice.callers.map((caller) => ({
    Sid: `${caller.service}Queries`,
    Effect: 'Allow',
    Principal: '*',
    Action: 'vpc-lattice-svcs:Invoke',
    Resource: routeResources(props.serviceArn, caller.routes),
    Condition: {
      ArnLike: { 'aws:PrincipalArn': props.roleArnPattern(caller.service) },
      StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' },
    },
  })),
});

/**
 * The identity-policy statement a calling function needs: `vpc-lattice-svcs:Invoke` with `GET`
 * on exactly the paths of the queries it calls on one Lattice service.
 */
export const queryInvokeStatement = (
  serviceArn: string,
  queries: readonly AnyQueryDefinition[],
): Record<string, unknown> => ({
  Effect: 'Allow',
  Action: 'vpc-lattice-svcs:Invoke',
  Resource: routeResources(serviceArn, queries.map(routeOf)),
  Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' } },
});
