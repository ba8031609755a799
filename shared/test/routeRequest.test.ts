import { describe, expect, it } from 'vitest';
import { routeRequest } from '../src/http/routeRequest.js';

const routes = [
  { method: 'GET', path: '/orders' },
  { method: 'POST', path: '/orders' },
  { method: 'GET', path: '/orders/{orderId}' },
  { method: 'POST', path: '/orders/{orderId}/cancel' },
  { method: 'GET', path: '/products/{sku}' },
  { method: 'GET', path: '/products/{code}' },
];

describe('routeRequest', () => {
  it('picks the route whose template and method match, with its decoded path parameters', () => {
    expect(routeRequest(routes, 'POST', '/orders/o%2F1/cancel')).toEqual({
      outcome: 'matched',
      route: { method: 'POST', path: '/orders/{orderId}/cancel' },
      params: { orderId: 'o/1' },
    });
    expect(routeRequest(routes, 'POST', '/orders')).toMatchObject({
      outcome: 'matched',
      route: { method: 'POST', path: '/orders' },
      params: {},
    });
  });

  it('takes the first of several matching templates', () => {
    expect(routeRequest(routes, 'GET', '/products/MUG-001')).toMatchObject({
      route: { path: '/products/{sku}' },
      params: { sku: 'MUG-001' },
    });
  });

  it('finds nothing for a path no template matches, a longer one, or a malformed encoding', () => {
    for (const path of ['/nowhere', '/orders/o-1/cancel/now', '/orders/%E0%A4%A']) {
      expect(routeRequest(routes, 'GET', path)).toEqual({ outcome: 'notFound' });
    }
  });

  it('refuses another method on a known path with the methods its templates allow, each once', () => {
    expect(routeRequest(routes, 'DELETE', '/orders')).toEqual({
      outcome: 'methodNotAllowed',
      allow: ['GET', 'POST'],
    });
    expect(routeRequest(routes, 'PUT', '/products/MUG-001')).toEqual({
      outcome: 'methodNotAllowed',
      allow: ['GET'],
    });
  });
});
