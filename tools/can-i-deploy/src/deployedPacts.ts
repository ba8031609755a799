import { execFileSync } from 'node:child_process';
import { SERVICE_NAMES, type ServiceName } from '@shop/contracts';
import { pactFileName } from '@shop/pacts';

/** Where the committed pacts are in the repository, as git names paths. */
export const PACTS_PATH = 'test/pacts/pacts';

/** A commit or ref the repository does not have. */
export class UnknownCommitError extends Error {
  constructor(ref: string, repository: string) {
    super(`${ref} is not a commit of the repository at ${repository} (fetch it first?)`);
    this.name = 'UnknownCommitError';
  }
}

const git = (repository: string, args: readonly string[]): string =>
  execFileSync('git', ['-C', repository, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/**
 * The commit a ref names, abbreviated as git abbreviates it.
 *
 * @throws {UnknownCommitError} when the repository has no such commit.
 * @example
 * ```ts
 * commitOf('.', 'origin/main'); // '1a2b3c4'
 * ```
 */
export const commitOf = (repository: string, ref: string): string => {
  try {
    return git(repository, ['rev-parse', '--short', '--verify', `${ref}^{commit}`]).trim();
  } catch {
    throw new UnknownCommitError(ref, repository);
  }
};

/**
 * The pact between `consumer` and `provider` as it was committed at `commit`, or undefined when
 * the commit has none (the consumer did not consume from the provider then).
 *
 * @example
 * ```ts
 * const text = pactAt('.', '1a2b3c4', 'inventory', 'order'); // inventory-order.json at 1a2b3c4
 * ```
 */
export const pactAt = (
  repository: string,
  commit: string,
  consumer: ServiceName,
  provider: ServiceName,
): string | undefined => {
  const path = `${PACTS_PATH}/${pactFileName(consumer, provider)}`;
  const listed = git(repository, [
    'ls-tree',
    '--full-tree',
    '--name-only',
    commit,
    '--',
    path,
  ]).trim();
  return listed === '' ? undefined : git(repository, ['show', `${commit}:${path}`]);
};

/** The other services than `service`, in the catalogue's order. */
export const othersThan = (service: ServiceName): ServiceName[] =>
  SERVICE_NAMES.filter((other) => other !== service);
