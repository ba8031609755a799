import type { RestApiTopology } from '@shop/topology';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  RequestAuthorizer,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

export interface ServiceRestApiProps {
  readonly api: RestApiTopology;
  /** The function behind every route. */
  readonly handler: IFunction;
  /** The Lambda REQUEST authorizer on the `Authorization` header. */
  readonly authorizer: IFunction;
}

/**
 * A service's REST API: one `{proxy+}` resource, any method, on its API function, behind a
 * Lambda REQUEST authorizer on the `Authorization` header (decisions cached 5 minutes, for the
 * whole API); only its live stage may invoke the function (no test invoke, which skips the
 * authorizer); access logs and tracing on its one stage; its URL published in SSM. Routing,
 * validation and authorization (Cedar) happen in the function.
 *
 * @example
 * ```ts
 * new ServiceRestApi(this, 'RestApi', { api, handler, authorizer });
 * ```
 */
export class ServiceRestApi extends Construct {
  constructor(scope: Construct, id: string, props: ServiceRestApiProps) {
    super(scope, id);
    const { apiName, service } = props.api;
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const authorizer = new RequestAuthorizer(this, 'Authorizer', {
      handler: props.authorizer,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: Duration.minutes(5),
    });
    const api = new RestApi(this, 'Api', {
      restApiName: apiName,
      defaultMethodOptions: { authorizer, authorizationType: AuthorizationType.CUSTOM },
      description: `${apiName}: customer and employee routes`,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'live',
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        tracingEnabled: true,
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
      },
    });
    api.root.addProxy({
      anyMethod: true,
      // Only the live stage may invoke the function: a console test invoke skips the authorizer.
      defaultIntegration: new LambdaIntegration(props.handler, { allowTestInvoke: false }),
    });
    // Published through SSM like everything else, not as a stack output.
    api.node.tryRemoveChild('Endpoint');
    new StringParameter(this, 'UrlParameter', {
      parameterName: `/shop/${service}/api-url`,
      stringValue: api.url,
      description: `Base URL of ${apiName}`,
    });
    Validations.of(api).acknowledge(...ACKNOWLEDGED);
  }
}

/** The cdk-nag findings a service's REST API answers by design, and why. */
const ACKNOWLEDGED = [
  {
    id: 'AwsSolutions-APIG2',
    reason:
      'Requests are validated in the API function with the zod schemas of each route (400 with the issues), the one place both API Gateway and the local gateway reach.',
  },
  {
    id: 'AwsSolutions-APIG3',
    reason:
      'A WAF web ACL is an account-level choice (managed rule groups, cost); it attaches to the stage without changing this stack.',
  },
  {
    id: 'AwsSolutions-APIG6',
    reason:
      'Execution logging needs an account-wide CloudWatch role for API Gateway; the stage writes access logs, the functions log every request, and tracing is on.',
  },
  {
    id: 'AwsSolutions-COG4',
    reason:
      'The authorizer verifies Cognito ID tokens with aws-jwt-verify (signature, issuer, audience, token use, expiry) and passes the groups on; the routes ask Verified Permissions, which a Cognito authorizer cannot.',
  },
];
