import { createHmac, randomBytes } from 'node:crypto';

/** One role's local credentials and the identity they stand for. */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The role, with its path: `arn:aws:iam::<account>:role/shop/order/order-local`. */
  readonly roleArn: string;
  /** The session the key signs as: `arn:aws:sts::<account>:assumed-role/order-local/order`. */
  readonly principal: string;
}

/** Access key id → credentials and identity; pure data, looked up on every request. */
export interface CredentialsRegistry {
  readonly all: readonly LocalCredentials[];
  lookup(accessKeyId: string): LocalCredentials | undefined;
  forRole(roleArn: string): LocalCredentials | undefined;
}

export interface LocalRole {
  readonly roleArn: string;
  /** @default the role's name */
  readonly sessionName?: string;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const derive = (seed: Uint8Array, purpose: string, roleArn: string): Buffer =>
  createHmac('sha256', seed).update(`${purpose}\n${roleArn}`).digest();

/** A temporary-credential-shaped key id: `ASIA` and 16 base-32 characters. */
const accessKeyIdOf = (digest: Buffer): string =>
  `ASIA${[...digest.subarray(0, 16)].map((byte) => KEY_ALPHABET[byte % 32]).join('')}`;

/** The assumed-role session ARN a role's credentials sign as. */
const sessionArn = (role: LocalRole): string => {
  const parsed = ROLE_ARN.exec(role.roleArn);
  if (parsed === null) throw new Error(`Not an IAM role ARN: ${role.roleArn}`);
  const [, account, name] = parsed;
  return `arn:aws:sts::${account}:assumed-role/${name}/${role.sessionName ?? name}`;
};

/**
 * Issues local credentials for each role: the access key id and secret are HMACs of the role ARN
 * under a seed (random per run unless given), so every role has its own key, keys are stable
 * within a run and cannot be guessed from the role name alone.
 *
 * @example
 * ```ts
 * const credentials = issueLocalCredentials({
 *   roles: [{ roleArn: 'arn:aws:iam::000000000000:role/shop/order/order-local', sessionName: 'order' }],
 * });
 * credentials.forRole(roleArn)?.accessKeyId; // 'ASIA...'
 * ```
 */
export const issueLocalCredentials = (props: {
  readonly roles: readonly LocalRole[];
  /** @default 32 random bytes */
  readonly seed?: Uint8Array;
}): CredentialsRegistry => {
  const seed = props.seed ?? randomBytes(32);
  const all = props.roles.map(
    (role): LocalCredentials => ({
      accessKeyId: accessKeyIdOf(derive(seed, 'access-key-id', role.roleArn)),
      secretAccessKey: derive(seed, 'secret-access-key', role.roleArn)
        .toString('base64')
        .slice(0, 40),
      roleArn: role.roleArn,
      principal: sessionArn(role),
    }),
  );
  const byKey = new Map(all.map((credentials) => [credentials.accessKeyId, credentials]));
  const byRole = new Map(all.map((credentials) => [credentials.roleArn, credentials]));
  if (byKey.size !== all.length || byRole.size !== all.length) {
    throw new Error('Each role needs its own access key: a role is listed twice.');
  }
  return {
    all,
    lookup: (accessKeyId) => byKey.get(accessKeyId),
    forRole: (roleArn) => byRole.get(roleArn),
  };
};
