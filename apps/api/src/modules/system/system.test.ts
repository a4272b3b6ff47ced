import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helper';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('health', () => {
  it('reports the database as up', async () => {
    const response = await t.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });
});

describe('site', () => {
  it('serves the municipality identity from configuration and says setup is required without an admin', async () => {
    const response = await t.inject({ method: 'GET', url: '/api/site' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: { bg: 'Община Стара Загора', en: 'Stara Zagora Municipality' },
      mailDelivery: 'outbox',
      setupRequired: true,
    });
  });
});

describe('OpenAPI', () => {
  it('documents every API route from the contracts', async () => {
    const response = await t.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json() as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/health',
      '/api/auth/register',
      '/api/auth/login',
      '/api/account',
      '/api/admin/users',
    ]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
  });

  it('refers only to schemas it holds (a recursive one, a draft unit, included)', async () => {
    const response = await t.inject({ method: 'GET', url: '/api/openapi.json' });
    const text = response.body;
    const document = JSON.parse(text) as { components?: { schemas?: Record<string, unknown> } };
    const refs = new Set(
      [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]),
    );
    expect(refs.has('DraftUnit')).toBe(true);
    for (const name of refs) expect(document.components?.schemas, name).toHaveProperty([name!]);
  });

  it('serves a browsable reference at /api/docs', async () => {
    const response = await t.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https:|swagger\.io/);
  });
});

describe('errors', () => {
  it('answers unknown API paths with 404 in the one error shape, in the requested language', async () => {
    const bg = await t.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(bg.statusCode).toBe(404);
    expect(bg.json()).toEqual({ error: { code: 'not_found', message: 'Не е намерено.' } });
    const en = await t.inject({
      method: 'GET',
      url: '/api/no-such-thing',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(en.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
  });

  it('rate-limits 404s', async () => {
    let last = 0;
    for (let i = 0; i < 70; i += 1) {
      last = (
        await t.inject({ method: 'GET', url: `/api/missing-${i}`, remoteAddress: '203.0.113.9' })
      ).statusCode;
    }
    expect(last).toBe(429);
  });

  it('sets strict security headers', async () => {
    const response = await t.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('gives every request an id in the logs and never trusts one from the client', async () => {
    const response = await t.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'request-id': 'evil' },
    });
    expect(response.statusCode).toBe(200);
  });
});
