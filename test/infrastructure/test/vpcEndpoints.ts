type Resource = { readonly Type: string; readonly Properties?: Record<string, unknown> };
type Resources = Readonly<Record<string, Resource>>;

/**
 * What a role's function does not need the VPC's network for: Lambda itself attaches the
 * function to the VPC (`ec2:*NetworkInterface*`), and Lattice services are reached through the
 * service network's association with the VPC.
 */
const REACHED_WITHOUT_AN_ENDPOINT = new Set(['ec2', 'vpc-lattice-svcs']);

/** The IAM service prefixes of every action a role's policies grant. */
const prefixesGranted = (resources: Resources, roleId: string): string[] => {
  const actions = Object.values(resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(resource.Properties?.['Roles']).includes(`"${roleId}"`),
    )
    .flatMap((policy) => {
      const document = policy.Properties?.['PolicyDocument'] as {
        Statement: { Action: string | string[] }[];
      };
      return document.Statement.flatMap((statement) => [statement.Action].flat());
    });
  return [...new Set(actions.map((action) => action.split(':')[0] ?? action))].sort();
};

/**
 * Every AWS API a function placed in a VPC is granted and needs the VPC's network for, as
 * `{ fn, prefix }`: granted by its role, and not reached without the VPC's network.
 */
const callsFromTheVpc = (resources: Resources): { fn: string; prefix: string }[] =>
  Object.values(resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        resource.Properties?.['VpcConfig'] !== undefined,
    )
    .flatMap((fn) => {
      const role = fn.Properties?.['Role'] as { 'Fn::GetAtt': [string, string] };
      return prefixesGranted(resources, role['Fn::GetAtt'][0])
        .filter((prefix) => !REACHED_WITHOUT_AN_ENDPOINT.has(prefix))
        .map((prefix) => ({ fn: String(fn.Properties?.['FunctionName']), prefix }));
    });

/**
 * Every AWS API a function placed in a VPC is granted but could not reach from it, as
 * `<function>: <service prefix>`: granted by its role, not reached without the VPC's network,
 * and with no endpoint in the VPC.
 *
 * @example
 * ```ts
 * unreachableCalls(orderTemplate.Resources, ['dynamodb']); // ['order-api: verifiedpermissions']
 * ```
 */
export const unreachableCalls = (resources: Resources, endpoints: readonly string[]): string[] =>
  callsFromTheVpc(resources)
    .filter(({ prefix }) => !endpoints.includes(prefix))
    .map(({ fn, prefix }) => `${fn}: ${prefix}`);

/**
 * The endpoints no function in the VPC is granted a call through, in any of the templates: each
 * one costs an hourly charge per availability zone and opens a path out of the VPC for nothing.
 *
 * @example
 * ```ts
 * unusedEndpoints([orderTemplate.Resources], ['dynamodb', 'sqs']); // ['sqs']
 * ```
 */
export const unusedEndpoints = (
  templates: readonly Resources[],
  endpoints: readonly string[],
): string[] => {
  const used = new Set(
    templates.flatMap((resources) => callsFromTheVpc(resources)).map((c) => c.prefix),
  );
  return endpoints.filter((endpoint) => !used.has(endpoint));
};
