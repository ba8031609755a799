import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkParseSchema, schemaToJson, validate } from '@cedar-policy/cedar-wasm/nodejs';

/** One service's Cedar policy store: its schema (Cedar schema syntax) and its policies by id. */
export interface PolicyStore {
  readonly service: string;
  readonly schema: string;
  /** One policy per id; the id is the file name without `.cedar`. */
  readonly policies: Readonly<Record<string, string>>;
}

/** The name every policy store's schema declares its types in. */
export const CEDAR_NAMESPACE = 'Shop';

/** A policy store whose schema or policies do not validate. */
export class PolicyStoreError extends Error {
  override readonly name = 'PolicyStoreError';

  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}'s Cedar policies do not validate:\n${problems.join('\n')}`);
  }
}

/**
 * Reads a service's policy store from its `policies/` directory: `schema.cedarschema` and one
 * policy per `*.cedar` file.
 *
 * @example
 * ```ts
 * const store = loadPolicyStore('order', join(packageDir, 'policies'));
 * Object.keys(store.policies); // ['admins-redrive', 'banned-customers', ...]
 * ```
 */
export const loadPolicyStore = (service: string, directory: string): PolicyStore => ({
  service,
  schema: readFileSync(join(directory, 'schema.cedarschema'), 'utf8'),
  policies: Object.fromEntries(
    readdirSync(directory)
      .filter((file) => file.endsWith('.cedar'))
      .sort()
      .map((file) => [basename(file, '.cedar'), readFileSync(join(directory, file), 'utf8')]),
  ),
});

const messages = (errors: readonly { readonly message: string }[]) =>
  errors.map((error) => error.message);

/**
 * What is wrong with a policy store: a schema that does not parse, or policies that do not
 * validate against it in strict mode (unknown entity types, actions or attributes, type errors).
 * Empty when the store is sound.
 */
export const policyStoreProblems = (store: PolicyStore): string[] => {
  const schema = checkParseSchema(store.schema);
  if (schema.type === 'failure') return messages(schema.errors).map((m) => `schema: ${m}`);
  const answer = validate({
    validationSettings: { mode: 'strict' },
    schema: store.schema,
    policies: { staticPolicies: { ...store.policies } },
  });
  if (answer.type === 'failure') return messages(answer.errors);
  return answer.validationErrors.map(({ policyId, error }) => `${policyId}: ${error.message}`);
};

/**
 * Validates a policy store against its schema, as Verified Permissions does in STRICT mode.
 *
 * @throws {PolicyStoreError} listing every problem.
 */
export const assertValidPolicyStore = (store: PolicyStore): PolicyStore => {
  const problems = policyStoreProblems(store);
  if (problems.length > 0) throw new PolicyStoreError(store.service, problems);
  return store;
};

/**
 * The store's schema in Cedar's JSON schema format, as Verified Permissions takes it.
 *
 * @throws {PolicyStoreError} when the schema does not parse.
 */
export const schemaJsonOf = (store: PolicyStore): string => {
  const answer = schemaToJson(store.schema);
  if (answer.type === 'failure') {
    throw new PolicyStoreError(store.service, messages(answer.errors));
  }
  return JSON.stringify(answer.json);
};
