// The few Sabor API calls the benchmarks need (sign in, open a consultation, post a comment), made
// as a browser would: JSON, the site's Origin, the session cookie. Each caller may pass a client
// address (X-Forwarded-For; loopback is a trusted proxy), so per-address limits see distinct
// visitors as they would behind a reverse proxy.
import { randomUUID } from 'node:crypto';

export const demoAdmin = { email: 'admin@sabor.local', password: 'sabor-admin-demo' };
export const demoResident = { email: 'resident1@sabor.local', password: 'sabor-resident-demo' };

/** One JSON request; returns { status, body } and throws nothing for HTTP errors. */
export async function call(origin, method, path, { cookie, body, address, idempotencyKey } = {}) {
  const headers = { origin, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  if (address) headers['x-forwarded-for'] = address;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const response = await fetch(`${origin}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (an HTML page): keep the text.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

async function expectStatus(what, expected, promise) {
  const response = await promise;
  if (response.status !== expected) {
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
  }
  return response;
}

/** Signs in and returns the session cookie ("name=value") to send with later requests. */
export async function login(origin, { email, password }, address) {
  const response = await expectStatus(
    `sign in as ${email}`,
    200,
    call(origin, 'POST', '/api/auth/login', { body: { email, password }, address }),
  );
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .find((pair) => /^(__Host-)?sabor_session=./.test(pair));
  if (!cookie) throw new Error(`sign in as ${email}: no session cookie`);
  return cookie;
}

const day = 24 * 60 * 60 * 1000;

/** Creates and publishes a consultation that opened yesterday, so residents may comment now. */
export async function createOpenConsultation(origin, adminCookie, title) {
  const created = await expectStatus(
    'create consultation',
    201,
    call(origin, 'POST', '/api/admin/consultations', {
      cookie: adminCookie,
      idempotencyKey: randomUUID(),
      body: {
        titleBg: title,
        summary: 'Бенчмарк: консултация с много коментари.',
        body: 'Текст на проекта за бенчмарка.',
        category: 'other',
        responsibleUnit: 'Бенчмарк',
        contactEmail: 'bench@sabor.local',
        opensAt: new Date(Date.now() - day).toISOString(),
        closesAt: new Date(Date.now() + 40 * day).toISOString(),
      },
    }),
  );
  const { id } = created.body;
  const published = await expectStatus(
    'publish consultation',
    200,
    call(origin, 'POST', `/api/admin/consultations/${id}/publish`, { cookie: adminCookie }),
  );
  if (published.body.state !== 'open') {
    throw new Error(`consultation ${id} is ${published.body.state} after publishing, not open`);
  }
  return id;
}

/** POST /api/consultations/:id/comments as a signed-in resident; returns { status, body }. */
export function postComment(origin, cookie, consultationId, text, { address, stance } = {}) {
  return call(origin, 'POST', `/api/consultations/${consultationId}/comments`, {
    cookie,
    address,
    idempotencyKey: randomUUID(),
    body: { body: text, stance: stance ?? 'neutral' },
  });
}
