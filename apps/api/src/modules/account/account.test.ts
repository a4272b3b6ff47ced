import { dataExportSchema } from '@sabor/contracts';
import { consultationFollows, consultations, outboxMails, sessions, users } from '@sabor/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  goodPassword,
  sessionCookieOf,
  signUp,
  type TestApp,
} from '../../../test/helper';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const login = (email: string, password: string) =>
  t.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    headers: { 'user-agent': 'Firefox Test' },
  });

describe('account routes', () => {
  it.each([
    ['GET', '/api/account'],
    ['PATCH', '/api/account'],
    ['POST', '/api/account/password'],
    ['GET', '/api/account/sessions'],
    ['POST', '/api/account/sessions/revoke-others'],
    ['GET', '/api/account/export'],
    ['POST', '/api/account/delete'],
  ] as const)('%s %s answers 401 to anonymous visitors', async (method, url) => {
    const response = await t.inject({ method, url, payload: method === 'GET' ? undefined : {} });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });
});

describe('profile', () => {
  it('changes display name and language, and messages follow the language', async () => {
    const { cookie } = await signUp(t);
    const response = await t.inject({
      method: 'PATCH',
      url: '/api/account',
      cookie,
      payload: { displayName: 'Нова Форма 🌿', locale: 'en' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ displayName: 'Нова Форма 🌿', locale: 'en' });
    const error = await t.inject({
      method: 'PATCH',
      url: '/api/account',
      cookie,
      payload: { displayName: '' },
    });
    expect(error.json()).toMatchObject({
      error: { message: 'Some fields are not filled in correctly.' },
    });
  });

  it('refuses an empty change', async () => {
    const { cookie } = await signUp(t);
    expect(
      (await t.inject({ method: 'PATCH', url: '/api/account', cookie, payload: {} })).statusCode,
    ).toBe(400);
  });
});

describe('password change', () => {
  it('needs the current password, then ends every other session but this one', async () => {
    const { cookie, email } = await signUp(t);
    const other = sessionCookieOf(await login(email, goodPassword));
    const wrong = await t.inject({
      method: 'POST',
      url: '/api/account/password',
      cookie,
      payload: { currentPassword: 'not-my-password', newPassword: 'другата-парола-1' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      error: {
        code: 'password_incorrect',
        fields: { currentPassword: { code: 'password_incorrect' } },
      },
    });
    const common = await t.inject({
      method: 'POST',
      url: '/api/account/password',
      cookie,
      payload: { currentPassword: goodPassword, newPassword: 'qwertyuiop' },
    });
    expect(common.json()).toMatchObject({
      error: {
        code: 'password_too_common',
        fields: { newPassword: { code: 'password_too_common' } },
      },
    });
    const ok = await t.inject({
      method: 'POST',
      url: '/api/account/password',
      cookie,
      payload: { currentPassword: goodPassword, newPassword: 'другата-парола-1' },
    });
    expect(ok.statusCode).toBe(200);
    expect((await t.inject({ method: 'GET', url: '/api/account', cookie })).statusCode).toBe(200);
    expect((await t.inject({ method: 'GET', url: '/api/account', cookie: other })).statusCode).toBe(
      401,
    );
    expect((await login(email, 'другата-парола-1')).statusCode).toBe(200);
  });
});

describe('sessions list', () => {
  it('lists my sessions, marks the current one, and signs out the others', async () => {
    const { cookie, email } = await signUp(t);
    const other = sessionCookieOf(await login(email, goodPassword));
    const list = await t.inject({ method: 'GET', url: '/api/account/sessions', cookie });
    const body = list.json() as {
      sessions: { id: string; current: boolean; userAgent: string | null }[];
    };
    expect(body.sessions).toHaveLength(2);
    expect(body.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(body.sessions.some((s) => s.userAgent === 'Firefox Test')).toBe(true);
    const revoked = await t.inject({
      method: 'POST',
      url: '/api/account/sessions/revoke-others',
      cookie,
    });
    expect(revoked.json()).toEqual({ revoked: 1 });
    expect((await t.inject({ method: 'GET', url: '/api/account', cookie: other })).statusCode).toBe(
      401,
    );
  });

  it('cannot end another person’s session', async () => {
    const alice = await signUp(t);
    const bob = await signUp(t);
    const [bobSession] = await t.app.db.select().from(sessions).where(eq(sessions.userId, bob.id));
    const response = await t.inject({
      method: 'DELETE',
      url: `/api/account/sessions/${bobSession!.id}`,
      cookie: alice.cookie,
    });
    expect(response.statusCode).toBe(404);
    expect(
      (await t.inject({ method: 'GET', url: '/api/account', cookie: bob.cookie })).statusCode,
    ).toBe(200);
  });
});

describe('my data (GDPR)', () => {
  it('exports everything stored about me as a JSON download', async () => {
    const { cookie, email } = await signUp(t, { displayName: 'Износ Данни' });
    const response = await t.inject({ method: 'GET', url: '/api/account/export', cookie });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('attachment');
    const data = response.json() as {
      profile: { email: string; displayName: string };
      sessions: unknown[];
      mails: { subject: string }[];
    };
    expect(data.profile).toMatchObject({ email, displayName: 'Износ Данни' });
    expect(data.sessions).toHaveLength(1);
    expect(data.mails).toHaveLength(1);
  });

  it('exports my comments and follows, and deleting the account ends the follows', async () => {
    const me = await signUp(t);
    const [consultation] = await t.app.db
      .insert(consultations)
      .values({
        titleBg: 'Износ',
        summary: 'Резюме',
        body: 'Текст',
        category: 'other',
        responsibleUnit: 'Дирекция',
        contactEmail: 'unit@example.bg',
        opensAt: new Date(),
        closesAt: new Date(Date.now() + 30 * 86_400_000),
        state: 'open',
        createdBy: me.id,
      })
      .returning();
    const posted = await t.inject({
      method: 'POST',
      url: `/api/consultations/${consultation!.id}/comments`,
      cookie: me.cookie,
      payload: { body: 'Моето предложение', stance: 'for' },
    });
    expect(posted.statusCode).toBe(201);
    const exported = dataExportSchema.parse(
      (await t.inject({ method: 'GET', url: '/api/account/export', cookie: me.cookie })).json(),
    );
    expect(exported.comments).toMatchObject([{ body: 'Моето предложение', stance: 'for' }]);
    expect(exported.follows).toMatchObject([{ consultationId: consultation!.id }]);
    await t.inject({
      method: 'POST',
      url: '/api/account/delete',
      cookie: me.cookie,
      payload: { password: goodPassword },
    });
    expect(
      await t.app.db
        .select()
        .from(consultationFollows)
        .where(eq(consultationFollows.userId, me.id)),
    ).toHaveLength(0);
  });

  it('deletes the account after the password is confirmed: sessions end, personal data goes, the row stays', async () => {
    const { cookie, email, id } = await signUp(t, { displayName: 'Изтрий Ме' });
    const wrong = await t.inject({
      method: 'POST',
      url: '/api/account/delete',
      cookie,
      payload: { password: 'not-my-password' },
    });
    expect(wrong.statusCode).toBe(400);
    const response = await t.inject({
      method: 'POST',
      url: '/api/account/delete',
      cookie,
      payload: { password: goodPassword },
    });
    expect(response.statusCode).toBe(200);
    expect((await t.inject({ method: 'GET', url: '/api/account', cookie })).statusCode).toBe(401);
    expect((await login(email, goodPassword)).statusCode).toBe(401);
    const [row] = await t.app.db.select().from(users).where(eq(users.id, id));
    expect(row).toMatchObject({ displayName: '', passwordHash: null });
    expect(row!.email).not.toContain(email.split('@')[0]!);
    expect(row!.deletedAt).not.toBeNull();
    expect(
      await t.app.db.select().from(outboxMails).where(eq(outboxMails.userId, id)),
    ).toHaveLength(0);
    // The address is free again for a new account.
    expect((await signUp(t, { email })).email).toBe(email);
  });
});
