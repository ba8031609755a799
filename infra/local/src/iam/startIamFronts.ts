import { reservePort } from '../ports.js';
import type { IamPolicies } from './authorizeRequest.js';
import type { EndpointKind } from './iamRequest.js';
import type { IamDecisionLogEntry, NetworkPlacement } from './judgeRequest.js';
import type { CredentialsRegistry } from './localCredentials.js';
import {
  type ForwardedAnswer,
  type FrontTiming,
  type IamFront,
  startIamFront,
} from './startIamFront.js';

/** Who may call what: the roles' keys, their policies and the resources', and where decisions go. */
export interface IamEnforcement {
  readonly credentials: CredentialsRegistry;
  readonly policies: IamPolicies;
  /** Where each role's code runs. @default anywhere: no caller is cut off by the network */
  readonly network?: NetworkPlacement;
  /** @default discarded */
  readonly onDecision?: (entry: IamDecisionLogEntry) => void;
  /** What each forwarded request's front added to it. @default not measured */
  readonly onTiming?: (timing: FrontTiming) => void;
}

/** One endpoint to put a front before: the emulator's private address and the public port. */
export interface FrontedEndpoint {
  readonly kind: EndpointKind;
  /** For errors: e.g. `DynamoDB`. */
  readonly name: string;
  /** The variable that chooses the public port, for errors: e.g. `LOCAL_DYNAMODB_PORT`. */
  readonly variable: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly upstream: string;
  /** Told of each request this front forwarded, once answered. @default not told */
  readonly onAnswered?: (answered: ForwardedAnswer) => void;
}

/**
 * Starts an IAM front before each endpoint, on its public port, and returns them in order: the
 * emulators behind them listen on private loopback ports the functions are never told.
 *
 * @example
 * ```ts
 * const [dynamodb] = await startIamFronts(iam, { region, account }, [
 *   { kind: 'dynamodb', name: 'DynamoDB', variable: 'LOCAL_DYNAMODB_PORT', port: 8000, upstream },
 * ]);
 * ```
 */
export const startIamFronts = async (
  iam: IamEnforcement,
  scope: { readonly region: string; readonly account: string },
  endpoints: readonly FrontedEndpoint[],
): Promise<IamFront[]> => {
  const fronts: IamFront[] = [];
  try {
    for (const endpoint of endpoints) {
      fronts.push(
        await startIamFront({
          port: await reservePort(endpoint.name, endpoint.port, endpoint.variable),
          upstream: endpoint.upstream,
          kind: endpoint.kind,
          ...scope,
          credentials: iam.credentials,
          policies: iam.policies,
          ...(iam.network !== undefined && { network: iam.network }),
          ...(iam.onDecision !== undefined && { onDecision: iam.onDecision }),
          ...(iam.onTiming !== undefined && { onTiming: iam.onTiming }),
          ...(endpoint.onAnswered !== undefined && { onAnswered: endpoint.onAnswered }),
        }),
      );
    }
    return fronts;
  } catch (error) {
    await Promise.all(fronts.map((front) => front.close()));
    throw error;
  }
};
