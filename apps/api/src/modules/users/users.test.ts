import { auditLog, outboxMails, sessions, users } from '@sabor/db';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  goodPassword,
  signUp,
  uniqueEmail,
  type TestApp,
} from '../../../test/helper';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let moderator: Awaited<ReturnType<typeof signUp>>;
let resident: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUp(t, { role: 'admin', displayName: 'Админ' });
  moderator = await signUp(t, { role: 'moderator' });
  resident = await signUp(t, { displayName: 'Йордан Йорданов' });
});
afterAll(async () => {
  await t.close();
});

describe('admin routes authorization', () => {
  const routes = [
    ['GET', '/api/admin/users'],
    ['PATCH', '/api/admin/users/00000000-0000-4000-8000-000000000000/role'],
    ['POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/suspend'],
    ['POST', '/api/admin/users/00000000-0000-4000-8000-000000000000/unsuspend'],
    ['GET', '/api/admin/outbox'],
    ['GET', '/api/admin/outbox/00000000-0000-4000-8000-000000000000'],
  ] as const;

  it.each(routes)('%s %s: 401 anonymous, 403 resident and moderator', async (method, url) => {
    const payload = method === 'GET' ? undefined : { role: 'admin', reason: 'x' };
    expect((await t.inject({ method, url, payload })).statusCode).toBe(401);
    expect((await t.inject({ method, url, payload, cookie: resident.cookie })).statusCode).toBe(
      403,
    );
    expect((await t.inject({ method, url, payload, cookie: moderator.cookie })).statusCode).toBe(
      403,
    );
  });
});

describe('user list', () => {
  it('searches by name or email, in Cyrillic too, and pages', async () => {
    const byName = await t.inject({
      method: 'GET',
      url: `/api/admin/users?q=${encodeURIComponent('йордан')}`,
      cookie: admin.cookie,
    });
    expect(byName.statusCode).toBe(200);
    expect(byName.json()).toMatchObject({
      total: 1,
      items: [{ id: resident.id, displayName: 'Йордан Йорданов' }],
    });
    const byRole = await t.inject({
      method: 'GET',
      url: '/api/admin/users?role=moderator',
      cookie: admin.cookie,
    });
    expect(byRole.json()).toMatchObject({ total: 1, items: [{ id: moderator.id }] });
    const page = await t.inject({
      method: 'GET',
      url: '/api/admin/users?pageSize=2&page=2',
      cookie: admin.cookie,
    });
    expect(page.json()).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect((page.json() as { items: unknown[] }).items).toHaveLength(1);
  });

  it('treats LIKE wildcards and SQL in the search as plain text', async () => {
    for (const q of ['%', '_', "' or 1=1 --"]) {
      const response = await t.inject({
        method: 'GET',
        url: `/api/admin/users?q=${encodeURIComponent(q)}`,
        cookie: admin.cookie,
      });
      expect(response.json()).toMatchObject({ total: 0 });
    }
  });

  it('rejects bad paging', async () => {
    expect(
      (await t.inject({ method: 'GET', url: '/api/admin/users?page=0', cookie: admin.cookie }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await t.inject({
          method: 'GET',
          url: '/api/admin/users?pageSize=1000',
          cookie: admin.cookie,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await t.inject({ method: 'GET', url: '/api/admin/users?role=king', cookie: admin.cookie }))
        .statusCode,
    ).toBe(400);
  });
});

describe('roles', () => {
  it('changes a role and records who did it in the audit log', async () => {
    const target = await signUp(t);
    const response = await t.inject({
      method: 'PATCH',
      url: `/api/admin/users/${target.id}/role`,
      cookie: admin.cookie,
      payload: { role: 'moderator' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ role: 'moderator' });
    const [entry] = await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, target.id));
    expect(entry).toMatchObject({
      actorId: admin.id,
      action: 'user.role_changed',
      details: { from: 'resident', to: 'moderator' },
    });
  });

  it('does not let an admin change their own role', async () => {
    const response = await t.inject({
      method: 'PATCH',
      url: `/api/admin/users/${admin.id}/role`,
      cookie: admin.cookie,
      payload: { role: 'resident' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'cannot_change_own_role' } });
  });

  it('answers 404 for unknown users and 400 for malformed ids', async () => {
    expect(
      (
        await t.inject({
          method: 'PATCH',
          url: '/api/admin/users/00000000-0000-4000-8000-000000000000/role',
          cookie: admin.cookie,
          payload: { role: 'admin' },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await t.inject({
          method: 'PATCH',
          url: '/api/admin/users/1%20or%201=1/role',
          cookie: admin.cookie,
          payload: { role: 'admin' },
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe('suspension', () => {
  it('suspends with a reason: sessions end at once, sign-in is refused, the person is mailed; lifting restores sign-in', async () => {
    const target = await signUp(t);
    const noReason = await t.inject({
      method: 'POST',
      url: `/api/admin/users/${target.id}/suspend`,
      cookie: admin.cookie,
      payload: { reason: '   ' },
    });
    expect(noReason.statusCode).toBe(400);
    const response = await t.inject({
      method: 'POST',
      url: `/api/admin/users/${target.id}/suspend`,
      cookie: admin.cookie,
      payload: { reason: 'Повтарящ се спам' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ suspended: true, suspendedReason: 'Повтарящ се спам' });
    expect(
      await t.app.db.select().from(sessions).where(eq(sessions.userId, target.id)),
    ).toHaveLength(0);
    expect(
      (await t.inject({ method: 'GET', url: '/api/account', cookie: target.cookie })).statusCode,
    ).toBe(401);
    const login = () =>
      t.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: target.email, password: goodPassword },
      });
    expect((await login()).statusCode).toBe(403);
    const mails = await t.app.db.select().from(outboxMails).where(eq(outboxMails.to, target.email));
    expect(mails.map((m) => m.subject).join()).toMatch(/спрян|suspended/i);
    const lifted = await t.inject({
      method: 'POST',
      url: `/api/admin/users/${target.id}/unsuspend`,
      cookie: admin.cookie,
    });
    expect(lifted.json()).toMatchObject({ suspended: false });
    expect((await login()).statusCode).toBe(200);
    const actions = (
      await t.app.db.select().from(auditLog).where(eq(auditLog.targetId, target.id))
    ).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.suspended', 'user.unsuspended']));
  });

  it('does not let an admin suspend themselves', async () => {
    const response = await t.inject({
      method: 'POST',
      url: `/api/admin/users/${admin.id}/suspend`,
      cookie: admin.cookie,
      payload: { reason: 'x' },
    });
    expect(response.json()).toMatchObject({ error: { code: 'cannot_suspend_self' } });
  });

  it('keeps the audit log append-only, even against direct SQL', async () => {
    await expect(
      t.app.db.execute(sql`update audit_log set reason = 'rewritten'`),
    ).rejects.toThrow();
    await expect(t.app.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    expect((await t.app.db.select().from(auditLog)).length).toBeGreaterThan(0);
  });
});

describe('deleted accounts', () => {
  it('disappear from the user list', async () => {
    const gone = await signUp(t, { email: uniqueEmail('gone') });
    await t.inject({
      method: 'POST',
      url: '/api/account/delete',
      cookie: gone.cookie,
      payload: { password: goodPassword },
    });
    const list = await t.inject({
      method: 'GET',
      url: '/api/admin/users?pageSize=100',
      cookie: admin.cookie,
    });
    expect((list.json() as { items: { id: string }[] }).items.map((u) => u.id)).not.toContain(
      gone.id,
    );
    const [row] = await t.app.db.select().from(users).where(eq(users.id, gone.id));
    expect(row?.deletedAt).not.toBeNull();
  });
});
