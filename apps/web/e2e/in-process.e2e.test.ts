import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookiesOf, demo, openConsultationId, postForm, type Sabor, startSabor } from './harness';

/**
 * The pages reach the API in process. SABOR_API_URL, where pages served apart from the API would
 * send their calls, points at a listener that only counts connections: a page that made a loopback
 * request would be counted here, and would render without its data.
 */
let sabor: Sabor;
let loopback: Server;
let loopbackConnections = 0;

beforeAll(async () => {
  loopback = createServer((socket) => {
    loopbackConnections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', resolve));
  const address = loopback.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  sabor = await startSabor({ SABOR_API_URL: `http://127.0.0.1:${port}` });
});
afterAll(async () => {
  await sabor?.stop();
  await new Promise((resolve) => loopback.close(resolve));
});

function page(path: string, cookie?: string) {
  return fetch(`${sabor.origin}${path}`, {
    redirect: 'manual',
    headers: { accept: 'text/html', ...(cookie && { cookie }) },
  });
}

async function signIn(account: { email: string; password: string }): Promise<string> {
  const response = await postForm(sabor, '/login', { ...account, next: '/account' });
  expect(response.status).toBe(303);
  return cookiesOf(response);
}

describe('pages reach the API in process', () => {
  it('serves a signed-in resident and an admin, forms included, with no loopback request', async () => {
    const consultationId = await openConsultationId(sabor);
    const resident = await signIn(demo.resident);
    expect(resident).toMatch(/sabor_session=/);

    const account = await page('/account', resident);
    expect(account.status).toBe(200);
    expect(await account.text()).toContain(demo.resident.email);

    const consultation = await page(`/consultations/${consultationId}`, resident);
    expect(consultation.status).toBe(200);
    const body = `Предложение, изпратено без JavaScript ${Date.now()}`;
    const posted = await postForm(
      sabor,
      `/consultations/${consultationId}?/comment`,
      { body, stance: 'for', idempotencyKey: `in-process-${Date.now()}-0001` },
      resident,
    );
    expect(posted.status, await posted.clone().text()).toBe(303);
    const thread = await page(`/consultations/${consultationId}`, resident);
    expect(await thread.text()).toContain(body);

    const admin = await signIn(demo.admin);
    for (const path of ['/', '/admin/consultations', '/admin/users', '/moderation', '/events']) {
      const response = await page(path, admin);
      expect(response.status, path).toBe(200);
    }
    const users = await (await page('/admin/users', admin)).text();
    expect(users).toContain(demo.resident.email);

    expect(loopbackConnections).toBe(0);
  });
});
