import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signUp, type TestApp } from '../../../test/helper';

let t: TestApp;
let adminCookie: string;
type Operation = { method: string; path: string; hasBody: boolean; hasQuery: boolean };
let operations: Operation[];

beforeAll(async () => {
  t = await buildTestApp();
  adminCookie = (await signUp(t, { role: 'admin' })).cookie;
  const document = (await t.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { in: string }[] }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: path.replace(/\{id\}/g, '00000000-0000-4000-8000-000000000000'),
      hasBody: operation.requestBody !== undefined,
      hasQuery: (operation.parameters ?? []).some((p) => p.in === 'query'),
    })),
  );
});
afterAll(async () => {
  await t.close();
});

const send = (op: Operation, payload: string, contentType = 'application/json') =>
  t.inject({
    method: op.method as 'POST',
    url: op.path,
    cookie: adminCookie,
    headers: { 'content-type': contentType },
    payload,
  });

/** Every body-taking route, found in the OpenAPI document, so a new route is covered without edits. */
describe('bad input on every route that takes a body', () => {
  it('finds the routes to test', () => {
    expect(operations.filter((op) => op.hasBody).length).toBeGreaterThanOrEqual(11);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    for (const op of operations.filter((o) => o.hasBody)) {
      const response = await send(op, '{"broken": ');
      expect(response.statusCode, `${op.method} ${op.path}`).toBe(400);
      expect(response.json(), `${op.method} ${op.path}`).toMatchObject({
        error: { code: 'invalid_json' },
      });
    }
  });

  it('answers wrong types and missing fields with 400 validation_failed and the fields', async () => {
    for (const op of operations.filter((o) => o.hasBody)) {
      for (const payload of [
        '[]',
        '"text"',
        '42',
        '{}',
        '{"email": 1, "password": [], "token": {}, "role": null}',
      ]) {
        const response = await send(op, payload);
        expect(response.statusCode, `${op.method} ${op.path} ${payload}`).toBe(400);
        const body = response.json() as {
          error: { code: string; message: string; fields?: object };
        };
        expect(body.error.code).toBe('validation_failed');
        expect(body.error.message).toBe('Някои полета не са попълнени правилно.');
      }
    }
  });

  it('refuses bodies over the limit with 413', async () => {
    const huge = JSON.stringify({ text: 'я'.repeat(1024 * 1024) });
    for (const op of operations.filter((o) => o.hasBody)) {
      const response = await send(op, huge);
      expect(response.statusCode, `${op.method} ${op.path}`).toBe(413);
      expect(response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    }
  });

  it('refuses other content types with 415', async () => {
    for (const op of operations.filter((o) => o.hasBody)) {
      const response = await send(op, 'email=a%40b.bg', 'application/x-www-form-urlencoded');
      expect(response.statusCode, `${op.method} ${op.path}`).toBe(415);
    }
  });

  it('refuses hostile query strings with 400 and a field', async () => {
    for (const op of operations.filter((o) => o.hasQuery)) {
      const response = await t.inject({
        method: 'GET',
        url: `${op.path}?page=1%3B%20drop%20table%20users&pageSize=-1&token=%00`,
        cookie: adminCookie,
      });
      expect(response.statusCode, op.path).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });
});

describe('failures of the database', () => {
  it('reports 503 on /api/health and a bare 500 elsewhere, without internals', async () => {
    const broken = await buildTestApp();
    try {
      const cookie = (await signUp(broken, { role: 'admin' })).cookie;
      await broken.app.database.close();
      const health = await broken.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'unavailable', database: 'down' });
      const list = await broken.inject({ method: 'GET', url: '/api/admin/users', cookie });
      expect(list.statusCode).toBe(500);
      expect(list.json()).toEqual({
        error: { code: 'internal_error', message: 'Възникна неочаквана грешка. Опитайте отново.' },
      });
    } finally {
      await broken.close().catch(() => undefined);
    }
  });
});
