import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { accessContext } from '../../src/verifiedAccess/accessContext.js';

const request = (headers: Record<string, string>) =>
  ({
    method: 'PUT',
    headers,
    socket: { remoteAddress: '127.0.0.1' },
  }) as unknown as IncomingMessage;

describe('the Cedar context of a request', () => {
  it('holds the token claims, the device trust data and the request as Verified Access names them', () => {
    const context = accessContext(
      request({ host: 'staff.local:4080', 'user-agent': 'curl/8' }),
      new URL('http://staff.local/admin/products/MUG-001?dry=1'),
      4080,
      {
        staff: { sub: 's-1', 'cognito:groups': ['Operators'], email_verified: true, iat: 1 },
        device: { deviceId: 'laptop-1', jamf: { risk: 'LOW', osv: '15.1.0', groups: [] } },
      },
    );
    expect(context).toEqual({
      staff: { sub: 's-1', 'cognito:groups': ['Operators'], email_verified: true, iat: 1 },
      jamf: { risk: 'LOW', osv: '15.1.0', groups: [] },
      http_request: {
        http_method: 'PUT',
        hostname: 'staff.local',
        path: '/admin/products/MUG-001',
        query: 'dry=1',
        port: 4080,
        user_agent: 'curl/8',
        client_ip: '127.0.0.1',
      },
    });
  });

  it('leaves out what Cedar has no value for, and never lets a claim pose as an entity', () => {
    const context = accessContext(request({}), new URL('http://x/'), 1, {
      staff: {
        sub: 's-1',
        nothing: null,
        ratio: 0.5,
        nested: { __entity: { type: 'Shop::User', id: 'admin' }, kept: 'yes' },
        __extn: { fn: 'ip', arg: '10.0.0.1' },
      },
      device: undefined,
    });
    expect(context['staff']).toEqual({ sub: 's-1', nested: { kept: 'yes' } });
    expect(context).not.toHaveProperty('jamf');
  });
});
