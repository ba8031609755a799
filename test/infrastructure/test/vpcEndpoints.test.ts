import { readFileSync } from 'node:fs';
import { PLATFORM_AZ_COUNT, PlatformStack, VPC_ENDPOINTS } from '@shop/platform';
import { type TemplateJson, vpcEndpointServicesOf } from '@shop/service-stack/resolved-access';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesizeServices } from './stacks.js';
import { unreachableCalls, unusedEndpoints } from './vpcEndpoints.js';

const env = { account: '111122223333', region: 'eu-west-1' };
const platform = Template.fromStack(new PlatformStack(new App(), 'ShopPlatform', { env })).toJSON();
const { templates } = synthesizeServices();
const endpoints = vpcEndpointServicesOf(platform as TemplateJson);

describe('the shop VPC', () => {
  it('has exactly the endpoints VPC_ENDPOINTS declares', () => {
    expect(endpoints).toEqual(Object.keys(VPC_ENDPOINTS).sort());
  });

  it.each(Object.entries(templates))(
    'carries every AWS call %s makes from a function in the VPC',
    (_, template) => {
      expect(unreachableCalls(template.toJSON()['Resources'], endpoints)).toEqual([]);
    },
  );

  it('has no endpoint that no function in the VPC calls through', () => {
    const resources = Object.values(templates).map((template) => template.toJSON()['Resources']);

    expect(unusedEndpoints(resources, endpoints)).toEqual([]);
  });

  it('would find an endpoint nothing calls through: SQS, once Order’s API had no queue to send to', () => {
    expect(unusedEndpoints([templates.order.toJSON()['Resources']], [...endpoints, 'sqs'])).toEqual(
      ['sqs'],
    );
  });

  it('is priced in docs/cost.md as it is built: its interface endpoints in each of its zones', () => {
    const { fixed } = JSON.parse(
      readFileSync(new URL('../../../docs/cost/assumptions.json', import.meta.url), 'utf8'),
    ) as { fixed: { interfaceEndpoints: number; availabilityZones: number } };

    expect(fixed).toMatchObject({
      interfaceEndpoints: Object.values(VPC_ENDPOINTS).filter((kind) => kind === 'interface')
        .length,
      availabilityZones: PLATFORM_AZ_COUNT,
    });
  });

  it('puts in the VPC only the functions that call Lattice services, and Order’s API is one', () => {
    const inVpc = Object.values(templates).flatMap((template) =>
      Object.values(template.findResources('AWS::Lambda::Function'))
        .filter((fn) => fn['Properties']['VpcConfig'] !== undefined)
        .map((fn) => String(fn['Properties']['FunctionName'])),
    );

    expect(inVpc).toEqual(['order-api']);
  });

  it('would find the calls that cannot leave the VPC: Order’s API with only the DynamoDB endpoint', () => {
    expect(unreachableCalls(templates.order.toJSON()['Resources'], ['dynamodb'])).toEqual([
      'order-api: verifiedpermissions',
    ]);
  });
});
