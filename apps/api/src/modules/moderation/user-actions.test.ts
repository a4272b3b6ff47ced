import type { ErrorBody, ModerationUser, ModeratorNote } from '@sabor/contracts';
import {
  auditLog,
  comments,
  liveEvents,
  moderationDecisionLog,
  moderationItems,
  outboxMails,
  sessions,
  userNotices,
  users,
} from '@sabor/db';
import { desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsultation } from '../../../test/fixtures';
import { buildTestApp, sessionCookieOf, type TestApp } from '../../../test/helper';
import { postCommentOk, settledPerson, type Person } from './people-fixtures';

let t: TestApp;
let admin: Person;
let otherAdmin: Person;
let moderator: Person;
let otherModerator: Person;
let resident: Person;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await settledPerson(t, { role: 'admin', displayName: 'Админ Админов' });
  otherAdmin = await settledPerson(t, { role: 'admin' });
  moderator = await settledPerson(t, { role: 'moderator', displayName: 'Мария Модераторова' });
  otherModerator = await settledPerson(t, { role: 'moderator' });
  resident = await settledPerson(t, { displayName: 'Йордан Йорданов' });
});
afterAll(async () => {
  await t.close();
});

const unknownId = '00000000-0000-4000-8000-000000000000';

function act(who: Person | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.inject({
    method,
    url,
    cookie: who?.cookie,
    ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
  });
}

async function view(userId: string, who: Person = moderator): Promise<ModerationUser> {
  const response = await act(who, 'GET', `/api/moderation/users/${userId}`);
  expect(response.statusCode).toBe(200);
  return response.json();
}

const suspend = (who: Person, target: string, payload: unknown) =>
  act(who, 'POST', `/api/moderation/users/${target}/suspend`, payload);
const warn = (who: Person, target: string, reason: string) =>
  act(who, 'POST', `/api/moderation/users/${target}/warn`, { reason });
const unsuspend = (who: Person, target: string) =>
  act(who, 'POST', `/api/moderation/users/${target}/unsuspend`);

async function login(person: Person) {
  return t.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: person.email, password: person.password },
  });
}

/** Signs the person in again (after a lifted or ended suspension) and keeps the new cookie. */
async function signInAgain(person: Person): Promise<void> {
  const response = await login(person);
  expect(response.statusCode).toBe(200);
  person.cookie = sessionCookieOf(response);
}

const mailsTo = (email: string) =>
  t.app.db
    .select()
    .from(outboxMails)
    .where(eq(outboxMails.to, email))
    .orderBy(desc(outboxMails.createdAt));

const auditOf = (targetId: string) =>
  t.app.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.targetId, targetId))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id));

describe('who may use the moderator user routes', () => {
  const routes = [
    ['GET', `/api/moderation/users/${unknownId}`],
    ['POST', `/api/moderation/users/${unknownId}/warn`],
    ['POST', `/api/moderation/users/${unknownId}/suspend`],
    ['POST', `/api/moderation/users/${unknownId}/unsuspend`],
    ['POST', `/api/moderation/users/${unknownId}/notes`],
  ] as const;
  const payload = { reason: 'Спам', durationDays: 3, body: 'Бележка' };

  it.each(routes)(
    '%s %s: 401 anonymous, 403 resident, 404 for staff on an unknown user',
    async (method, url) => {
      const body = method === 'GET' ? undefined : payload;
      expect((await act(undefined, method, url, body)).statusCode).toBe(401);
      const asResident = await act(resident, method, url, body);
      expect(asResident.statusCode).toBe(403);
      expect(asResident.json()).toMatchObject({ error: { code: 'forbidden' } });
      expect((await act(moderator, method, url, body)).statusCode).toBe(404);
      expect((await act(admin, method, url, body)).statusCode).toBe(404);
    },
  );

  it('refuses a malformed id as bad input, hostile ones included', async () => {
    for (const id of ['42', 'not-a-uuid', "1' or '1'='1", '%3Cscript%3E']) {
      const response = await act(moderator, 'GET', `/api/moderation/users/${id}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('refuses a state change from another site', async () => {
    const target = await settledPerson(t);
    const response = await t.inject({
      method: 'POST',
      url: `/api/moderation/users/${target.id}/warn`,
      cookie: moderator.cookie,
      headers: { origin: 'https://evil.example' },
      payload: { reason: 'x' },
    });
    expect(response.statusCode).toBe(403);
    expect(await auditOf(target.id)).toHaveLength(0);
  });
});

describe('bad input', () => {
  it.each([
    ['blank reason', { reason: '   ', durationDays: 1 }, 'reason'],
    ['oversized reason', { reason: 'я'.repeat(1001), durationDays: 1 }, 'reason'],
    ['control characters', { reason: 'спам\u0007\u0000', durationDays: 1 }, 'reason'],
    ['no duration given', { reason: 'Спам' }, 'durationDays'],
    ['zero days', { reason: 'Спам', durationDays: 0 }, 'durationDays'],
    ['over ten years', { reason: 'Спам', durationDays: 3651 }, 'durationDays'],
    ['fractional days', { reason: 'Спам', durationDays: 1.5 }, 'durationDays'],
    ['days as text', { reason: 'Спам', durationDays: '7' }, 'durationDays'],
    ['SQL as days', { reason: 'Спам', durationDays: '1; drop table users' }, 'durationDays'],
  ])('suspension with %s: 400 naming the field, nothing changes', async (_name, payload, field) => {
    const target = await settledPerson(t);
    const response = await suspend(moderator, target.id, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect(Object.keys(response.json<ErrorBody>().error.fields ?? {})).toContain(field);
    expect((await view(target.id)).suspended).toBe(false);
    expect(await auditOf(target.id)).toHaveLength(0);
  });

  it('refuses malformed JSON and a body that is not an object', async () => {
    const target = await settledPerson(t);
    const malformed = await t.inject({
      method: 'POST',
      url: `/api/moderation/users/${target.id}/warn`,
      cookie: moderator.cookie,
      headers: { 'content-type': 'application/json' },
      payload: '{"reason": ',
    });
    expect(malformed.statusCode).toBe(400);
    const array = await act(moderator, 'POST', `/api/moderation/users/${target.id}/warn`, ['x']);
    expect(array.statusCode).toBe(400);
    expect(await auditOf(target.id)).toHaveLength(0);
  });

  it('refuses oversized and control-character notes and warnings', async () => {
    const target = await settledPerson(t);
    const longNote = await act(moderator, 'POST', `/api/moderation/users/${target.id}/notes`, {
      body: 'x'.repeat(2001),
    });
    expect(longNote.statusCode).toBe(400);
    expect(longNote.json<ErrorBody>().error.fields?.body?.code).toBe('too_long');
    const controlNote = await act(moderator, 'POST', `/api/moderation/users/${target.id}/notes`, {
      body: 'a\u001bb',
    });
    expect(controlNote.json<ErrorBody>().error.fields?.body?.code).toBe('control_characters');
    const blankWarning = await warn(moderator, target.id, ' \n ');
    expect(blankWarning.statusCode).toBe(400);
    expect((await view(target.id)).notes).toHaveLength(0);
  });
});

describe('warning a user', () => {
  it('records it, tells the person in the app and by mail in their language, and keeps the account active', async () => {
    const target = await settledPerson(t, { locale: 'en' });
    const reason = 'Repeated personal attacks in the comments.';
    const response = await warn(moderator, target.id, reason);
    expect(response.statusCode).toBe(200);
    const shown: ModerationUser = response.json();
    expect(shown).toMatchObject({ id: target.id, suspended: false });
    expect(shown.accountActions[0]).toMatchObject({
      action: 'user.warned',
      reason,
      actor: { id: moderator.id, displayName: 'Мария Модераторова' },
      until: null,
    });

    const [entry] = await auditOf(target.id);
    expect(entry).toMatchObject({ action: 'user.warned', actorId: moderator.id, reason });
    const notices = await t.app.db
      .select()
      .from(userNotices)
      .where(eq(userNotices.userId, target.id));
    expect(notices).toEqual([expect.objectContaining({ kind: 'warning', reasonText: reason })]);
    const [mail] = await mailsTo(target.email);
    expect(mail?.subject).toMatch(/^A warning from a moderator – /);
    expect(mail?.text).toContain(reason);

    const me = await act(target, 'GET', '/api/account');
    expect(me.statusCode).toBe(200);
  });

  it('mails no unverified address, but the notice is in the app', async () => {
    const target = await settledPerson(t, { verified: false });
    expect((await warn(moderator, target.id, 'Спам')).statusCode).toBe(200);
    // Only the sign-up's verification mail went there.
    expect((await mailsTo(target.email)).map((mail) => mail.subject).join()).not.toMatch(
      /Предупреждение/,
    );
    const notices = await act(target, 'GET', '/api/account/notices');
    expect(notices.json()).toMatchObject({
      unread: 1,
      items: [{ kind: 'warning', reasonText: 'Спам' }],
    });
  });

  it('stores hostile text as written and escapes it in the mail', async () => {
    const target = await settledPerson(t);
    const reason = `<script>alert("x")</script> '; drop table users; -- =1+1`;
    expect((await warn(moderator, target.id, reason)).statusCode).toBe(200);
    expect((await view(target.id)).accountActions[0]?.reason).toBe(reason);
    const [mail] = await mailsTo(target.email);
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.html).toContain('&lt;script&gt;');
    expect(mail?.text).toContain(reason);
    expect((await t.app.db.select().from(users).where(eq(users.id, target.id))).length).toBe(1);
  });
});

describe('suspending a user', () => {
  it('for some days: ends their sessions, refuses sign-in, records the end, mails it in Sofia time and tells their sockets', async () => {
    const target = await settledPerson(t);
    const reason = 'Повтарящ се спам';
    const response = await suspend(moderator, target.id, { reason, durationDays: 7 });
    expect(response.statusCode).toBe(200);
    const shown: ModerationUser = response.json();
    expect(shown).toMatchObject({ suspended: true, suspendedReason: reason });
    expect(shown.suspendedUntil).not.toBeNull();

    const [row] = await t.app.db
      .select({
        exact: sql<boolean>`${users.suspendedUntil} = ${users.suspendedAt} + interval '7 days'`,
      })
      .from(users)
      .where(eq(users.id, target.id));
    expect(row?.exact).toBe(true);
    expect(await t.app.db.select().from(sessions).where(eq(sessions.userId, target.id))).toEqual(
      [],
    );
    expect((await act(target, 'GET', '/api/account')).statusCode).toBe(401);
    const refused = await login(target);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'account_suspended' } });

    const [entry] = await auditOf(target.id);
    expect(entry).toMatchObject({
      action: 'user.suspended',
      actorId: moderator.id,
      reason,
      details: { until: shown.suspendedUntil },
    });
    expect(shown.accountActions[0]).toMatchObject({
      action: 'user.suspended',
      until: shown.suspendedUntil,
    });

    const [mail] = await mailsTo(target.email);
    const sofia = new Intl.DateTimeFormat('bg-BG', {
      timeZone: 'Europe/Sofia',
      dateStyle: 'long',
      timeStyle: 'short',
    }).format(new Date(shown.suspendedUntil!));
    expect(mail?.subject).toMatch(/^Профилът ви е спрян – /);
    expect(mail?.text).toContain(`спрян до ${sofia}`);
    expect(mail?.text).toContain(reason);

    const [event] = await t.app.db
      .select()
      .from(liveEvents)
      .where(eq(liveEvents.topic, `user:${target.id}`));
    expect(event?.payload).toEqual({ type: 'account_suspended' });
  });

  it('suspending again replaces the reason and the end, and keeps when it began', async () => {
    const target = await settledPerson(t, { locale: 'en' });
    await suspend(moderator, target.id, { reason: 'Първо', durationDays: 3 });
    const [before] = await t.app.db.select().from(users).where(eq(users.id, target.id));
    const again = await suspend(moderator, target.id, {
      reason: 'Second, for good',
      durationDays: null,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      suspended: true,
      suspendedReason: 'Second, for good',
      suspendedUntil: null,
    });
    const [after] = await t.app.db.select().from(users).where(eq(users.id, target.id));
    expect(after?.suspendedAt).toEqual(before?.suspendedAt);
    const actions = (await view(target.id)).accountActions;
    expect(actions.map((a) => [a.action, a.reason, a.until === null])).toEqual([
      ['user.suspended', 'Second, for good', true],
      ['user.suspended', 'Първо', false],
    ]);
    const [mail] = await mailsTo(target.email);
    expect(mail?.text).toContain('suspended permanently');
  });

  it('two moderators suspending at once: both are applied one after the other, nothing is half-written', async () => {
    const target = await settledPerson(t);
    const [a, b] = await Promise.all([
      suspend(moderator, target.id, { reason: 'A', durationDays: 1 }),
      suspend(otherModerator, target.id, { reason: 'B', durationDays: 2 }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const entries = await auditOf(target.id);
    expect(entries.map((e) => e.action)).toEqual(['user.suspended', 'user.suspended']);
    const [row] = await t.app.db.select().from(users).where(eq(users.id, target.id));
    // The account holds what the later of the two wrote, and that one's audit entry is the newest.
    const last = entries[0]!;
    expect(row?.suspendedReason).toBe(last.reason);
    expect(row?.suspendedUntil?.toISOString()).toBe(last.details?.until);
  });

  it('lifting it restores sign-in and is recorded', async () => {
    const target = await settledPerson(t);
    await suspend(moderator, target.id, { reason: 'Спам', durationDays: null });
    const lifted = await unsuspend(moderator, target.id);
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({
      suspended: false,
      suspendedReason: null,
      suspendedUntil: null,
    });
    await signInAgain(target);
    expect((await act(target, 'GET', '/api/account')).statusCode).toBe(200);
    expect((await auditOf(target.id)).map((e) => e.action)).toEqual([
      'user.unsuspended',
      'user.suspended',
    ]);
  });
});

describe('who may act on whom', () => {
  it('a moderator may not warn, suspend or lift the suspension of an admin or another moderator', async () => {
    for (const target of [admin, otherModerator]) {
      for (const response of [
        await warn(moderator, target.id, 'x'),
        await suspend(moderator, target.id, { reason: 'x', durationDays: 1 }),
        await unsuspend(moderator, target.id),
      ]) {
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ error: { code: 'cannot_suspend_staff' } });
      }
    }
    expect(await auditOf(admin.id)).toHaveLength(0);
    expect((await login(otherModerator)).statusCode).toBe(200);
  });

  it('nobody acts on themself', async () => {
    for (const who of [moderator, admin]) {
      const response = await suspend(who, who.id, { reason: 'x', durationDays: 1 });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'cannot_suspend_self' } });
      expect((await warn(who, who.id, 'x')).statusCode).toBe(409);
    }
  });

  it('an admin may suspend a moderator and another admin', async () => {
    const mod = await settledPerson(t, { role: 'moderator' });
    const adm = await settledPerson(t, { role: 'admin' });
    expect((await suspend(admin, mod.id, { reason: 'x', durationDays: 1 })).statusCode).toBe(200);
    expect(
      (await suspend(otherAdmin, adm.id, { reason: 'x', durationDays: null })).statusCode,
    ).toBe(200);
    expect((await login(mod)).statusCode).toBe(403);
    expect((await login(adm)).statusCode).toBe(403);
  });

  it('a resident promoted to moderator meanwhile is no longer a moderator’s to suspend', async () => {
    const target = await settledPerson(t);
    await t.app.db.update(users).set({ role: 'moderator' }).where(eq(users.id, target.id));
    const response = await suspend(moderator, target.id, { reason: 'x', durationDays: 1 });
    expect(response.json()).toMatchObject({ error: { code: 'cannot_suspend_staff' } });
  });

  it('a deleted account cannot be warned or suspended', async () => {
    const target = await settledPerson(t);
    await t.app.db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, target.id));
    expect((await warn(moderator, target.id, 'x')).statusCode).toBe(404);
    expect((await suspend(admin, target.id, { reason: 'x', durationDays: 1 })).statusCode).toBe(
      404,
    );
  });
});

describe('the admin suspension route shares the rules', () => {
  it('stays compatible: without a duration it is permanent; with one it ends', async () => {
    const forever = await settledPerson(t);
    const response = await act(admin, 'POST', `/api/admin/users/${forever.id}/suspend`, {
      reason: 'Спам',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ suspended: true, suspendedReason: 'Спам' });
    expect((await view(forever.id)).suspendedUntil).toBeNull();

    const timed = await settledPerson(t);
    const limited = await act(admin, 'POST', `/api/admin/users/${timed.id}/suspend`, {
      reason: 'Спам',
      durationDays: 2,
    });
    expect(limited.statusCode).toBe(200);
    expect((await view(timed.id)).suspendedUntil).not.toBeNull();
    const [event] = await t.app.db
      .select()
      .from(liveEvents)
      .where(eq(liveEvents.topic, `user:${timed.id}`));
    expect(event?.payload).toEqual({ type: 'account_suspended' });
  });
});

describe('timed suspensions end by themselves', () => {
  it('once the end has passed the person signs in, their session holds, and they are shown as not suspended', async () => {
    const target = await settledPerson(t);
    await suspend(moderator, target.id, { reason: 'Спам', durationDays: 1 });
    // The end moves into the past, as if the day had gone by.
    await t.app.db
      .update(users)
      .set({
        suspendedAt: sql`now() - interval '2 days'`,
        suspendedUntil: sql`now() - interval '1 day'`,
      })
      .where(eq(users.id, target.id));
    await signInAgain(target);
    expect((await act(target, 'GET', '/api/account')).statusCode).toBe(200);
    expect(await view(target.id)).toMatchObject({
      suspended: false,
      suspendedReason: null,
      suspendedUntil: null,
    });
    const forgot = await t.inject({
      method: 'POST',
      url: '/api/auth/forgot-password',
      payload: { email: target.email },
    });
    expect(forgot.statusCode).toBeLessThan(300);
    expect(
      (await mailsTo(target.email)).some((m) => m.text.includes('/reset-password?token=')),
    ).toBe(true);
  });

  it('a session meets a suspension still running: it ends', async () => {
    const target = await settledPerson(t);
    await t.app.db
      .update(users)
      .set({ suspendedAt: sql`now()`, suspendedUntil: sql`now() + interval '1 hour'` })
      .where(eq(users.id, target.id));
    expect((await act(target, 'GET', '/api/account')).statusCode).toBe(401);
    expect(await t.app.db.select().from(sessions).where(eq(sessions.userId, target.id))).toEqual(
      [],
    );
  });

  it('a new suspension after an ended one starts anew', async () => {
    const target = await settledPerson(t);
    await t.app.db
      .update(users)
      .set({
        suspendedAt: sql`now() - interval '10 days'`,
        suspendedUntil: sql`now() - interval '3 days'`,
      })
      .where(eq(users.id, target.id));
    await suspend(moderator, target.id, { reason: 'Отново', durationDays: 2 });
    const [row] = await t.app.db
      .select({
        exact: sql<boolean>`${users.suspendedUntil} = ${users.suspendedAt} + interval '2 days'`,
      })
      .from(users)
      .where(eq(users.id, target.id));
    expect(row?.exact).toBe(true);
  });
});

describe('private notes', () => {
  it('are kept newest first with their author; the audit log records the note, never its text', async () => {
    const target = await settledPerson(t);
    const text = 'Вероятно същият човек като профила „Гост 12“ — <b>проверка</b>';
    const first = await act(moderator, 'POST', `/api/moderation/users/${target.id}/notes`, {
      body: text,
    });
    expect(first.statusCode).toBe(201);
    const note: ModeratorNote = first.json();
    expect(note).toMatchObject({ body: text, author: { id: moderator.id } });
    const second = await act(admin, 'POST', `/api/moderation/users/${target.id}/notes`, {
      body: '  Втора бележка  ',
    });
    expect(second.json()).toMatchObject({ body: 'Втора бележка' });

    const shown = await view(target.id);
    expect(shown.notes.map((n) => [n.body, n.author.id])).toEqual([
      ['Втора бележка', admin.id],
      [text, moderator.id],
    ]);
    const entries = await auditOf(target.id);
    expect(entries.map((e) => e.action)).toEqual([
      'moderation.note_added',
      'moderation.note_added',
    ]);
    expect(entries[1]).toMatchObject({ actorId: moderator.id, details: { noteId: note.id } });
    const [leaked] = await t.app.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(auditLog)
      .where(sql`${auditLog}::text like ${'%Гост 12%'}`);
    expect(leaked?.n).toBe(0);
    // Notes stay with staff: the person cannot read the moderator view of themself.
    expect((await act(target, 'GET', `/api/moderation/users/${target.id}`)).statusCode).toBe(403);
  });
});

describe('what a moderator sees about a user', () => {
  it('counts comments and hidden ones, lists earlier decisions with who decided, newest first', async () => {
    const author = await settledPerson(t, { displayName: 'Автор Авторов' });
    const consultation = await openConsultation(t, admin.cookie);
    const one = await postCommentOk(t, consultation.id, author, 'Първи');
    const two = await postCommentOk(t, consultation.id, author, 'Втори');
    await postCommentOk(t, consultation.id, author, 'Трети');
    await t.app.db
      .update(comments)
      .set({ moderationState: 'hidden', moderationReasonCode: 'spam' })
      .where(eq(comments.id, one.id));
    for (const [comment, decision] of [
      [one, 'hidden'],
      [two, 'approved'],
    ] as const) {
      const [item] = await t.app.db
        .insert(moderationItems)
        .values({
          subjectType: 'comment',
          subjectId: comment.id,
          consultationId: consultation.id,
          authorId: author.id,
          status: 'resolved',
          cause: 'reported',
        })
        .onConflictDoUpdate({
          target: [moderationItems.subjectType, moderationItems.subjectId],
          set: { status: 'resolved' },
        })
        .returning();
      await t.app.db.insert(moderationDecisionLog).values({
        itemId: item!.id,
        authorId: author.id,
        moderatorId: moderator.id,
        decision,
        reasonCode: decision === 'hidden' ? 'spam' : null,
        enteredAt: sql`now() - interval '1 hour'`,
        decidedAt: decision === 'hidden' ? sql`now() - interval '1 minute'` : sql`now()`,
      });
    }
    const shown = await view(author.id, admin);
    expect(shown).toMatchObject({
      id: author.id,
      displayName: 'Автор Авторов',
      role: 'resident',
      suspended: false,
      commentCount: 3,
      hiddenCount: 1,
    });
    expect(shown.decisions.map((d) => [d.decision, d.reasonCode, d.moderator.id])).toEqual([
      ['approved', null, moderator.id],
      ['hidden', 'spam', moderator.id],
    ]);
    expect(Date.parse(shown.accountCreatedAt)).toBeLessThan(Date.parse(one.createdAt));
  });
});
