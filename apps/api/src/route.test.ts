import { routes } from '@sabor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../test/helper';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('the API implements the route table', () => {
  it('registers every declared route at its declared method and path', () => {
    const missing = Object.entries(routes)
      .filter(([, route]) => !t.app.hasRoute({ method: route.method, url: route.path }))
      .map(([name, route]) => `${name}: ${route.method} ${route.path}`);
    expect(missing).toEqual([]);
  });
});
