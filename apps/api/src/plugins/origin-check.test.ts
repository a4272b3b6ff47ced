import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { consultations, users } from '@sabor/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { draftConsultation } from '../../test/fixtures';
import { buildTestApp, origin, signUp, type TestApp } from '../../test/helper';

const foreignOrigin = 'https://evil.example';

let t: TestApp;
let port: number;
let resident: Awaited<ReturnType<typeof signUp>>;
let admin: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  t = await buildTestApp();
  // A real socket: inject() and fetch() normalise the path, an attacker's client does not.
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
  resident = await signUp(t, { displayName: 'Първо Име' });
  admin = await signUp(t, { role: 'admin' });
});
afterAll(async () => {
  await t.close();
});

/** Sends `path` byte for byte as written, the way a forged cross-site request can. */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...headers,
          ...(payload !== undefined && { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Spellings of `/api/<rest>` that a router may decode or fold back onto the API route. */
function spellings(rest: string): string[] {
  const [first = '', ...others] = rest.split('/');
  const encodedFirst = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`;
  return [
    `/api/${rest}`,
    `/api/${rest}/`,
    `/%61pi/${rest}`,
    `/%61pi/${rest}/`,
    `/%61%70%69/${rest}`,
    `/%41%50%49/${rest}`,
    `/API/${rest}`,
    `/Api/${rest}`,
    `//api/${rest}`,
    `/api//${rest}`,
    `/./api/${rest}`,
    `/x/../api/${rest}`,
    `/api/${[encodedFirst, ...others].join('/')}`,
    `/api%2f${rest}`,
    `/api%2F${rest}`,
  ];
}

async function displayNameOf(id: string): Promise<string> {
  const [row] = await t.app.db
    .select({ displayName: users.displayName })
    .from(users)
    .where(eq(users.id, id));
  return row?.displayName ?? '';
}

async function stateOf(id: string): Promise<string | undefined> {
  const [row] = await t.app.db
    .select({ state: consultations.state })
    .from(consultations)
    .where(eq(consultations.id, id));
  return row?.state;
}

describe('the origin check cannot be skipped by spelling the path differently', () => {
  it.each(spellings('account'))(
    'refuses PATCH %s from another site and leaves the profile alone',
    async (path) => {
      const response = await send(
        'PATCH',
        path,
        { origin: foreignOrigin, cookie: resident.cookie },
        { displayName: 'Чуждо Име' },
      );
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'cross_origin' } });
      expect(await displayNameOf(resident.id)).toBe('Първо Име');
    },
  );

  it('refuses an admin action (publish) from another site under every spelling', async () => {
    const { id } = await draftConsultation(t, admin.cookie);
    for (const path of spellings(`admin/consultations/${id}/publish`)) {
      const response = await send('POST', path, { origin: foreignOrigin, cookie: admin.cookie });
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'cross_origin' } });
      expect(await stateOf(id)).toBe('draft');
    }
  });

  it('refuses a request with no Origin at all under an encoded spelling', async () => {
    const response = await send(
      'PATCH',
      '/%61pi/account',
      { cookie: resident.cookie },
      { displayName: 'Без Произход' },
    );
    expect(response.status).toBe(403);
    expect(await displayNameOf(resident.id)).toBe('Първо Име');
  });

  it('still takes the same requests from this site', async () => {
    const renamed = await send(
      'PATCH',
      '/%61pi/account/',
      { origin, cookie: resident.cookie },
      { displayName: 'Второ Име' },
    );
    expect(renamed.status).toBe(200);
    expect(await displayNameOf(resident.id)).toBe('Второ Име');

    const { id } = await draftConsultation(t, admin.cookie);
    const published = await send('POST', `/%61%70%69/admin/consultations/${id}/publish`, {
      origin,
      cookie: admin.cookie,
    });
    expect(published.status).toBe(200);
    expect(await stateOf(id)).not.toBe('draft');
  });
});

describe('the live socket refuses other sites under every spelling of /api/ws', () => {
  /** The HTTP status the upgrade got: 101 when the socket opened. */
  function upgradeStatus(path: string, headers: Record<string, string>): Promise<number> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    return new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.on('open', () => {
        resolve(101);
        socket.close();
      });
      socket.on('error', () => resolve(0));
    });
  }

  it.each([
    '/api/ws',
    '/%61pi/ws',
    '/%61%70%69/ws',
    '/api/%77s',
    '/api/ws/',
    '//api/ws',
    '/API/ws',
  ])('refuses %s from another site', async (path) => {
    expect(await upgradeStatus(path, { origin: foreignOrigin, cookie: resident.cookie })).not.toBe(
      101,
    );
  });

  it('opens /%61pi/ws for this site', async () => {
    expect(await upgradeStatus('/%61pi/ws', { origin })).toBe(101);
  });
});
