import { loginFailures, outboxMails, sessions, users } from '@sabor/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  goodPassword,
  sessionCookieOf,
  signUp,
  tokenFromOutbox,
  uniqueEmail,
  type TestApp,
} from '../../../test/helper';
import { hashToken } from './tokens';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const register = (payload: unknown, headers: Record<string, string> = {}) =>
  t.inject({ method: 'POST', url: '/api/auth/register', payload: payload as object, headers });
const login = (email: string, password: string, remoteAddress = '198.51.100.7') =>
  t.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress });
const whoAmI = async (cookie: string) =>
  (
    (await t.inject({ method: 'GET', url: '/api/auth/session', cookie })).json() as {
      user: { id: string } | null;
    }
  ).user;

describe('registration', () => {
  it('creates a resident, signs them in with a safe cookie and mails a verification link', async () => {
    const email = uniqueEmail();
    const response = await register({
      email: email.toUpperCase(),
      displayName: 'Иван Петров',
      password: goodPassword,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      user: { email, displayName: 'Иван Петров', role: 'resident', emailVerified: false },
    });
    const cookie = response.cookies.find((c) => c.name === 'sabor_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(new Date(cookie!.expires!).getTime()).toBeGreaterThan(
      Date.now() + 29 * 24 * 3600 * 1000,
    );
    expect(await whoAmI(sessionCookieOf(response))).toMatchObject({ email });
    const [mail] = await t.app.db.select().from(outboxMails).where(eq(outboxMails.to, email));
    expect(mail?.text).toContain('http://localhost:3000/verify-email?token=');
  });

  it('stores only the hash of the session token', async () => {
    const { cookie } = await signUp(t);
    const token = cookie.split('=')[1]!;
    expect(await t.app.db.select().from(sessions).where(eq(sessions.id, token))).toHaveLength(0);
    expect(
      await t.app.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, hashToken(token))),
    ).toHaveLength(1);
  });

  it('refuses a second account with the same email, whatever the case', async () => {
    const email = uniqueEmail();
    await register({ email, displayName: 'Първи', password: goodPassword });
    const again = await register({
      email: email.toUpperCase(),
      displayName: 'Втори',
      password: goodPassword,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      error: { code: 'email_taken', fields: { email: { code: 'email_taken' } } },
    });
  });

  it('explains each invalid field in Bulgarian by default and in English on request', async () => {
    const bad = { email: 'not-an-email', displayName: '', password: 'short' };
    const bg = await register(bad);
    expect(bg.statusCode).toBe(400);
    expect(bg.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        fields: {
          email: { code: 'invalid_email', message: 'Въведете валиден имейл адрес.' },
          displayName: { code: 'required' },
          password: { code: 'too_short', message: 'Твърде кратко: поне 10 знака.' },
        },
      },
    });
    const en = await register(bad, { 'accept-language': 'en' });
    expect(en.json()).toMatchObject({
      error: {
        message: 'Some fields are not filled in correctly.',
        fields: { password: { message: 'Too short: at least 10 characters.' } },
      },
    });
  });

  it('refuses common passwords', async () => {
    const response = await register({
      email: uniqueEmail(),
      displayName: 'Ана',
      password: 'password123',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: { code: 'password_too_common', fields: { password: { code: 'password_too_common' } } },
    });
  });

  it('reports missing fields, wrong types, control characters and over-long text, and writes nothing', async () => {
    const before = (await t.app.db.select().from(users)).length;
    const cases: [unknown, string, string][] = [
      [{}, 'email', 'required'],
      [{ email: 42, displayName: 'x', password: goodPassword }, 'email', 'invalid'],
      [
        { email: uniqueEmail(), displayName: 'Bell\u0007', password: goodPassword },
        'displayName',
        'control_characters',
      ],
      [
        { email: uniqueEmail(), displayName: 'Ред\nнов', password: goodPassword },
        'displayName',
        'control_characters',
      ],
      [
        { email: uniqueEmail(), displayName: 'я'.repeat(81), password: goodPassword },
        'displayName',
        'too_long',
      ],
      [
        { email: uniqueEmail(), displayName: 'x', password: 'p'.repeat(257) },
        'password',
        'too_long',
      ],
      [
        { email: `${'a'.repeat(250)}@x.bg`, displayName: 'x', password: goodPassword },
        'email',
        'too_long',
      ],
    ];
    for (const [payload, field, code] of cases) {
      const response = await register(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(
        (response.json() as { error: { fields: Record<string, { code: string }> } }).error.fields[
          field
        ]?.code,
      ).toBe(code);
    }
    expect(await t.app.db.select().from(users)).toHaveLength(before);
  });

  it('keeps Cyrillic, emoji, right-to-left text and markup exactly as written', async () => {
    for (const displayName of [
      'Стоянка Ђорђевић 🌻',
      'مرحبا بالعالم',
      '<script>alert(1)</script>',
      "Robert'); DROP TABLE users;--",
    ]) {
      const response = await register({
        email: uniqueEmail(),
        displayName,
        password: goodPassword,
      });
      expect(response.statusCode).toBe(201);
      expect((response.json() as { user: { displayName: string } }).user.displayName).toBe(
        displayName,
      );
    }
    expect((await t.app.db.select().from(users)).length).toBeGreaterThan(0);
  });

  it('answers malformed JSON, huge bodies and unknown content types with clear errors', async () => {
    const malformed = await t.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const huge = await t.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        email: 'a@b.bg',
        displayName: 'x'.repeat(2 * 1024 * 1024),
        password: goodPassword,
      }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const xml = await t.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('replays a retried registration with the same Idempotency-Key instead of failing or duplicating', async () => {
    const payload = { email: uniqueEmail(), displayName: 'Повторен', password: goodPassword };
    const first = await register(payload, { 'idempotency-key': 'reg-key-1' });
    const second = await register(payload, { 'idempotency-key': 'reg-key-1' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await t.app.db.select().from(users).where(eq(users.email, payload.email))).toHaveLength(
      1,
    );
    const reused = await register(
      { ...payload, email: uniqueEmail() },
      { 'idempotency-key': 'reg-key-1' },
    );
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
  });

  it('creates one account when the same registration arrives twice at once', async () => {
    const payload = { email: uniqueEmail(), displayName: 'Двоен', password: goodPassword };
    const responses = await Promise.all([register(payload), register(payload)]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });
});

describe('email verification', () => {
  it('verifies the address once; the link cannot be reused or guessed', async () => {
    const { cookie, email } = await signUp(t);
    const token = await tokenFromOutbox(t, email, '/verify-email');
    const first = await t.inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      payload: { token },
    });
    expect(first.statusCode).toBe(200);
    expect(await whoAmI(cookie)).toMatchObject({ emailVerified: true });
    const again = await t.inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      payload: { token },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ error: { code: 'token_invalid' } });
    const guessed = await t.inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      payload: { token: 'a'.repeat(32) },
    });
    expect(guessed.statusCode).toBe(400);
  });

  it('mails a fresh link on request, for signed-in people only', async () => {
    const anonymous = await t.inject({ method: 'POST', url: '/api/auth/resend-verification' });
    expect(anonymous.statusCode).toBe(401);
    const { cookie, email } = await signUp(t);
    const response = await t.inject({
      method: 'POST',
      url: '/api/auth/resend-verification',
      cookie,
    });
    expect(response.statusCode).toBe(200);
    expect(await t.app.db.select().from(outboxMails).where(eq(outboxMails.to, email))).toHaveLength(
      2,
    );
  });
});

describe('sign-in', () => {
  it('signs in with the right password and refuses a wrong one or an unknown email alike', async () => {
    const { email } = await signUp(t);
    const ok = await login(email, goodPassword);
    expect(ok.statusCode).toBe(200);
    expect(await whoAmI(sessionCookieOf(ok))).toMatchObject({ email });
    const wrong = await login(email, 'wrong-password-here');
    const unknown = await login(uniqueEmail(), 'wrong-password-here');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('throttles guessing per account with 429 and Retry-After, even for the right password', async () => {
    const { email } = await signUp(t);
    for (let i = 0; i < 5; i += 1)
      expect((await login(email, `guess-number-${i}`, `192.0.2.${i}`)).statusCode).toBe(401);
    const blocked = await login(email, goodPassword, '192.0.2.99');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json()).toMatchObject({ error: { code: 'too_many_requests' } });
  });

  it('throttles guessing per address across accounts', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < 30; i += 1) await login(uniqueEmail('spray'), 'wrong-password-here', ip);
    const { email } = await signUp(t);
    expect((await login(email, goodPassword, ip)).statusCode).toBe(429);
    expect((await login(email, goodPassword, '203.0.113.78')).statusCode).toBe(200);
  });

  it('forgets failures after a successful sign-in', async () => {
    const { email } = await signUp(t);
    await login(email, 'wrong-password-here');
    expect((await login(email, goodPassword)).statusCode).toBe(200);
    expect(
      await t.app.db.select().from(loginFailures).where(eq(loginFailures.email, email)),
    ).toHaveLength(0);
  });

  it('refuses a suspended account', async () => {
    const { email, id } = await signUp(t);
    await t.app.db
      .update(users)
      .set({ suspendedAt: new Date(), suspendedReason: 'spam' })
      .where(eq(users.id, id));
    const response = await login(email, goodPassword);
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'account_suspended' } });
  });
});

describe('sessions', () => {
  it('ends the session on logout', async () => {
    const { cookie } = await signUp(t);
    const out = await t.inject({ method: 'POST', url: '/api/auth/logout', cookie });
    expect(out.statusCode).toBe(200);
    expect(out.cookies.find((c) => c.name === 'sabor_session')?.value).toBe('');
    expect(await whoAmI(cookie)).toBeNull();
  });

  it('expires after 30 days without use', async () => {
    const { cookie, id } = await signUp(t);
    await t.app.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.userId, id));
    expect(await whoAmI(cookie)).toBeNull();
    expect(await t.app.db.select().from(sessions).where(eq(sessions.userId, id))).toHaveLength(0);
  });

  it('slides the expiry forward when a session is used in its second half', async () => {
    const { cookie, id } = await signUp(t);
    await t.app.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() + 5 * 24 * 3600 * 1000) })
      .where(eq(sessions.userId, id));
    const response = await t.inject({ method: 'GET', url: '/api/auth/session', cookie });
    expect(response.cookies.find((c) => c.name === 'sabor_session')).toBeDefined();
    const [session] = await t.app.db.select().from(sessions).where(eq(sessions.userId, id));
    expect(session!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
  });

  it('ignores forged and malformed cookies', async () => {
    for (const cookie of [
      'sabor_session=abc',
      `sabor_session=${'a'.repeat(32)}`,
      'sabor_session=%00%27',
    ]) {
      expect(await whoAmI(cookie)).toBeNull();
    }
  });
});

describe('password recovery', () => {
  it('mails a single-use reset link that sets the password and ends every session', async () => {
    const { email, cookie } = await signUp(t);
    const forgot = await t.inject({
      method: 'POST',
      url: '/api/auth/forgot-password',
      payload: { email },
    });
    expect(forgot.statusCode).toBe(200);
    const token = await tokenFromOutbox(t, email, '/reset-password');
    const newPassword = 'нова-парола-за-тест';
    const reset = await t.inject({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, password: newPassword },
    });
    expect(reset.statusCode).toBe(200);
    expect(await whoAmI(cookie)).toBeNull();
    expect((await login(email, newPassword)).statusCode).toBe(200);
    expect((await login(email, goodPassword)).statusCode).toBe(401);
    const reuse = await t.inject({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, password: 'още-една-парола' },
    });
    expect(reuse.json()).toMatchObject({ error: { code: 'token_invalid' } });
  });

  it('answers the same for unknown emails, so accounts cannot be discovered', async () => {
    const response = await t.inject({
      method: 'POST',
      url: '/api/auth/forgot-password',
      payload: { email: uniqueEmail('nobody') },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
  });

  it('refuses a reset link older than one hour', async () => {
    const { email } = await signUp(t);
    await t.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email } });
    const token = await tokenFromOutbox(t, email, '/reset-password');
    const { userTokens } = await import('@sabor/db');
    await t.app.db
      .update(userTokens)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(userTokens.id, hashToken(token)));
    const reset = await t.inject({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, password: 'нова-парола-за-тест' },
    });
    expect(reset.statusCode).toBe(400);
  });
});

describe('origin check', () => {
  it('refuses state-changing requests from another site or with no Origin', async () => {
    const payload = { email: uniqueEmail(), displayName: 'x', password: goodPassword };
    const evil = await t.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload,
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.json()).toMatchObject({ error: { code: 'cross_origin' } });
    const none = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload });
    expect(none.statusCode).toBe(403);
    expect(await t.app.db.select().from(users).where(eq(users.email, payload.email))).toHaveLength(
      0,
    );
  });

  it('accepts the host the request was addressed to, as the web pages send it through the proxy headers', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: {
        origin: 'http://127.0.0.1:4123',
        'x-forwarded-host': '127.0.0.1:4123',
        'x-forwarded-proto': 'http',
      },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('first admin', () => {
  it('prints a one-time setup link when no admin exists, and it creates exactly one admin', async () => {
    const link = t.app.setupLink;
    expect(link).toMatch(/^http:\/\/localhost:3000\/setup\?token=[a-z0-9]+$/);
    const token = new URL(link!).searchParams.get('token')!;
    expect(
      (await t.inject({ method: 'GET', url: `/api/auth/setup?token=${token}` })).json(),
    ).toEqual({ valid: true });
    const body = {
      token,
      email: uniqueEmail('admin'),
      displayName: 'Главен администратор',
      password: goodPassword,
    };
    const created = await t.inject({ method: 'POST', url: '/api/auth/setup', payload: body });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ user: { role: 'admin', emailVerified: true } });
    const again = await t.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { ...body, email: uniqueEmail('admin') },
    });
    expect(again.statusCode).toBe(409);
    expect(
      (await t.inject({ method: 'GET', url: `/api/auth/setup?token=${token}` })).json(),
    ).toEqual({ valid: false });
  });
});

describe('https deployments', () => {
  it('uses a __Host- prefixed Secure cookie', async () => {
    const secure = await buildTestApp({ PUBLIC_ORIGIN: 'https://sabor.example.bg' });
    try {
      const response = await secure.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        headers: { origin: 'https://sabor.example.bg' },
        payload: { email: uniqueEmail(), displayName: 'Сигурен', password: goodPassword },
      });
      expect(response.statusCode).toBe(201);
      expect(response.cookies[0]).toMatchObject({
        name: '__Host-sabor_session',
        secure: true,
        httpOnly: true,
        path: '/',
        sameSite: 'Lax',
      });
    } finally {
      await secure.close();
    }
  });
});
