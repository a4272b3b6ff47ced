import { describe, expect, it } from 'vitest';
import { fillPath } from './route';
import { featureRoutes, routes } from './routes';

describe('the route table', () => {
  it('declares each name once across the features', () => {
    const names = Object.values(featureRoutes).flatMap((table) => Object.keys(table));
    expect(names.length).toBe(new Set(names).size);
    expect(Object.keys(routes).length).toBe(names.length);
  });

  it('declares each method and path once', () => {
    const endpoints = Object.values(routes).map((route) => `${route.method} ${route.path}`);
    expect(endpoints.length).toBe(new Set(endpoints).size);
  });

  it('names each path parameter in the params schema', () => {
    for (const [name, route] of Object.entries(routes)) {
      const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]);
      const declared = 'params' in route && route.params ? Object.keys(route.params.shape) : [];
      expect(declared.sort(), name).toEqual(names.sort());
    }
  });

  it('fills path parameters URL-encoded and refuses a missing one', () => {
    expect(fillPath('/api/a/:id/b/:key', { id: 'x/y', key: 'é' })).toBe('/api/a/x%2Fy/b/%C3%A9');
    expect(() => fillPath('/api/a/:id', {})).toThrow(/:id/);
  });
});
