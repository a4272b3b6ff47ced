import type { Consultation, FollowStatus } from '@sabor/contracts';
import {
  comments,
  consultationFollows,
  consultations,
  outboxMails,
  users,
  type Executor,
} from '@sabor/db';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeConsultation,
  draftConsultation,
  openConsultation,
  publishConsultation,
} from '../../../test/fixtures';
import {
  buildTestApp,
  origin,
  signUp,
  strandIdempotencyKey,
  type TestApp,
} from '../../../test/helper';
import { startSmtp } from '../../../test/smtp-server';
import { runConsultationSchedule } from '../consultations/scheduler';
import { MailSender } from '../mail/sender';
import { renderMail } from '../mail/render';
import { followerMail } from './mails';
import { notifyFollowers } from './notify';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let moderator: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await signUp(t, { role: 'admin' });
  moderator = await signUp(t, { role: 'moderator' });
});
afterAll(async () => {
  await t.close();
});

type Person = Awaited<ReturnType<typeof signUp>>;

/** A resident with a verified address (only verified addresses get follower mail). */
async function resident(
  options: { locale?: 'bg' | 'en'; displayName?: string; verified?: boolean } = {},
): Promise<Person> {
  const person = await signUp(t, { displayName: options.displayName ?? 'Мария Иванова' });
  await t.app.db
    .update(users)
    .set({
      locale: options.locale ?? 'bg',
      emailVerifiedAt: options.verified === false ? null : new Date(),
    })
    .where(eq(users.id, person.id));
  return person;
}

async function consultation(
  state: 'draft' | 'scheduled' | 'open',
  titles: { titleBg?: string; titleEn?: string | null } = {},
): Promise<Consultation> {
  const input = {
    titleBg: titles.titleBg ?? 'Наредба за зелените площи',
    titleEn: titles.titleEn === undefined ? 'Green spaces regulation' : titles.titleEn,
  };
  if (state === 'open') return openConsultation(t, admin.cookie, input);
  const draft = await draftConsultation(t, admin.cookie, input);
  return state === 'draft' ? draft : publishConsultation(t, admin.cookie, draft.id);
}

const followUrl = (id: string) => `/api/consultations/${id}/follow`;

async function follow(id: string, who: Person) {
  const response = await t.inject({ method: 'PUT', url: followUrl(id), cookie: who.cookie });
  expect(response.statusCode).toBe(200);
  return response.json<FollowStatus>();
}

async function following(id: string, who: Person): Promise<boolean> {
  const response = await t.inject({ method: 'GET', url: followUrl(id), cookie: who.cookie });
  expect(response.statusCode).toBe(200);
  return response.json<FollowStatus>().following;
}

async function tokenOf(id: string, who: Person): Promise<string> {
  const [row] = await t.app.db
    .select({ token: consultationFollows.unsubscribeToken })
    .from(consultationFollows)
    .where(and(eq(consultationFollows.consultationId, id), eq(consultationFollows.userId, who.id)));
  if (!row) throw new Error('not following');
  return row.token;
}

/** Mails about consultation `id` (their text links to it), by recipient. */
async function mailsAbout(id: string) {
  return t.app.db
    .select()
    .from(outboxMails)
    .where(like(outboxMails.text, `%/consultations/${id}%`));
}

const unsubscribeLink = new RegExp(
  `${origin.replaceAll('.', '\\.')}/follows/unsubscribe\\?token=([a-z2-7]{52})`,
);

function unsubscribe(token: string, headers: Record<string, string> = {}) {
  return t.inject({ method: 'POST', url: '/api/follows/unsubscribe', payload: { token }, headers });
}

const closeEarly = (id: string, reason = 'Проектът е оттеглен от вносителя.') =>
  closeConsultation(t, admin.cookie, id, reason);

describe('following', () => {
  it('needs a session: 401 for anonymous visitors', async () => {
    const c = await consultation('open');
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const response = await t.inject({ method, url: followUrl(c.id) });
      expect(response.statusCode, method).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('follows and unfollows, each idempotent, keeping the first token', async () => {
    const c = await consultation('open');
    const maria = await resident();
    expect(await following(c.id, maria)).toBe(false);
    expect(await follow(c.id, maria)).toEqual({ following: true });
    const token = await tokenOf(c.id, maria);
    expect(token).toMatch(/^[a-z2-7]{52}$/);
    expect(await follow(c.id, maria)).toEqual({ following: true });
    // Links in mails already sent keep working.
    expect(await tokenOf(c.id, maria)).toBe(token);
    expect(await following(c.id, maria)).toBe(true);

    for (let i = 0; i < 2; i += 1) {
      const response = await t.inject({
        method: 'DELETE',
        url: followUrl(c.id),
        cookie: maria.cookie,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ following: false });
    }
    expect(await following(c.id, maria)).toBe(false);
  });

  it('is per person: one resident’s follow is not another’s', async () => {
    const c = await consultation('open');
    const [a, b] = [await resident(), await resident()];
    await follow(c.id, a);
    expect(await following(c.id, b)).toBe(false);
    await t.inject({ method: 'DELETE', url: followUrl(c.id), cookie: b.cookie });
    expect(await following(c.id, a)).toBe(true);
  });

  it('takes any public consultation, staff included', async () => {
    const scheduled = await consultation('scheduled');
    const closed = await consultation('open');
    await closeEarly(closed.id);
    for (const who of [await resident(), moderator, admin]) {
      expect(await follow(scheduled.id, who)).toEqual({ following: true });
      expect(await follow(closed.id, who)).toEqual({ following: true });
    }
  });

  it('refuses drafts (404, or 409 to admins who can see them), unknown and malformed ids', async () => {
    const draft = await consultation('draft');
    const maria = await resident();
    for (const who of [maria, moderator]) {
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const response = await t.inject({ method, url: followUrl(draft.id), cookie: who.cookie });
        expect(response.statusCode, method).toBe(404);
      }
    }
    const asAdmin = await t.inject({
      method: 'PUT',
      url: followUrl(draft.id),
      cookie: admin.cookie,
    });
    expect(asAdmin.statusCode).toBe(409);
    expect(asAdmin.json()).toMatchObject({ error: { code: 'consultation_invalid_state' } });

    const unknown = followUrl('00000000-0000-4000-8000-000000000000');
    expect((await t.inject({ method: 'PUT', url: unknown, cookie: maria.cookie })).statusCode).toBe(
      404,
    );
    const malformed = await t.inject({
      method: 'PUT',
      url: followUrl('1 or 1=1'),
      cookie: maria.cookie,
    });
    expect(malformed.statusCode).toBe(400);
    const rows = await t.app.db
      .select()
      .from(consultationFollows)
      .where(eq(consultationFollows.userId, maria.id));
    expect(rows).toHaveLength(0);
  });

  it('refuses a follow from another site (origin check)', async () => {
    const c = await consultation('open');
    const maria = await resident();
    const response = await t.inject({
      method: 'PUT',
      url: followUrl(c.id),
      cookie: maria.cookie,
      headers: { origin: 'https://evil.example' },
    });
    expect(response.statusCode).toBe(403);
    expect(await following(c.id, maria)).toBe(false);
  });
});

describe('unsubscribing with the mailed token', () => {
  it('shows what the link is about, then ends the follow without a session', async () => {
    const c = await consultation('open', { titleBg: 'Наредба за паркирането' });
    const maria = await resident();
    await follow(c.id, maria);
    const token = await tokenOf(c.id, maria);

    const info = await t.inject({ method: 'GET', url: `/api/follows/unsubscribe?token=${token}` });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toEqual({
      consultationId: c.id,
      titleBg: 'Наредба за паркирането',
      titleEn: 'Green spaces regulation',
    });
    // Looking (as a mail scanner does) changes nothing.
    expect(await following(c.id, maria)).toBe(true);

    const response = await unsubscribe(token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      consultationId: c.id,
      titleBg: 'Наредба за паркирането',
      titleEn: 'Green spaces regulation',
      following: false,
    });
    expect(await following(c.id, maria)).toBe(false);

    // The follow and its token are gone together.
    expect((await unsubscribe(token)).statusCode).toBe(404);
    const again = await t.inject({ method: 'GET', url: `/api/follows/unsubscribe?token=${token}` });
    expect(again.statusCode).toBe(404);
  });

  it('replays a retried unsubscribe that carries the same Idempotency-Key', async () => {
    const c = await consultation('open');
    const maria = await resident();
    await follow(c.id, maria);
    const token = await tokenOf(c.id, maria);
    const key = { 'idempotency-key': crypto.randomUUID() };
    const first = await unsubscribe(token, key);
    const retry = await unsubscribe(token, key);
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
  });

  it('answers a retry whose first unsubscribe committed with its result, not 404', async () => {
    const c = await consultation('open');
    const maria = await resident();
    await follow(c.id, maria);
    const token = await tokenOf(c.id, maria);
    const key = crypto.randomUUID();
    const first = await unsubscribe(token, { 'idempotency-key': key });
    expect(first.statusCode).toBe(200);
    await strandIdempotencyKey(t, null, key);
    const retry = await unsubscribe(token, { 'idempotency-key': key });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
  });

  it('answers 404 to unknown tokens and 400 to malformed ones, changing nothing', async () => {
    const c = await consultation('open');
    const maria = await resident();
    await follow(c.id, maria);
    const unknown = 'a'.repeat(52);
    expect((await unsubscribe(unknown)).statusCode).toBe(404);
    const info = await t.inject({
      method: 'GET',
      url: `/api/follows/unsubscribe?token=${unknown}`,
    });
    expect(info.statusCode).toBe(404);
    expect(info.json()).toMatchObject({ error: { code: 'not_found' } });
    for (const token of [
      '',
      'short',
      `${'a'.repeat(51)}1`,
      `${'a'.repeat(52)}'--`,
      'A'.repeat(52),
    ]) {
      expect((await unsubscribe(token)).statusCode, token).toBe(400);
    }
    expect(
      (await t.inject({ method: 'POST', url: '/api/follows/unsubscribe', payload: {} })).statusCode,
    ).toBe(400);
    expect((await t.inject({ method: 'GET', url: '/api/follows/unsubscribe' })).statusCode).toBe(
      400,
    );
    expect(await following(c.id, maria)).toBe(true);
  });
});

describe('mail to followers', () => {
  it('queues one mail per follower when staff close early, in each one’s language, with the reason', async () => {
    const c = await consultation('open', {
      titleBg: 'Наредба за <b>шума</b>',
      titleEn: 'Noise regulation',
    });
    const bg = await resident({ displayName: 'Мария' });
    const en = await resident({ locale: 'en', displayName: 'John' });
    const suspended = await resident({ displayName: 'Спрян' });
    const unverified = await resident({ verified: false });
    const deleted = await resident();
    const bystander = await resident();
    for (const who of [bg, en, suspended, unverified, deleted]) await follow(c.id, who);
    await t.app.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, suspended.id));
    await t.app.db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, deleted.id));

    await closeEarly(c.id, 'Проектът е оттеглен.');

    const mails = await mailsAbout(c.id);
    expect(mails.map((m) => m.to).sort()).toEqual([bg.email, en.email, suspended.email].sort());
    expect(mails.map((m) => m.to)).not.toContain(bystander.email);
    const toBg = mails.find((m) => m.to === bg.email)!;
    const toEn = mails.find((m) => m.to === en.email)!;
    expect(toBg).toMatchObject({ userId: bg.id, status: 'pending' });
    expect(toBg.subject).toBe(
      'Консултацията „Наредба за <b>шума</b>“ приключи – Община Стара Загора',
    );
    expect(toBg.text).toContain('Здравейте, Мария,');
    expect(toBg.text).toContain('Проектът е оттеглен.');
    expect(toBg.text).toContain(`${origin}/consultations/${c.id}`);
    expect(toBg.html).toContain('Наредба за &lt;b&gt;шума&lt;/b&gt;');
    expect(toBg.html).not.toContain('<b>шума');
    expect(toEn.subject).toBe(
      'The consultation “Noise regulation” has closed – Stara Zagora Municipality',
    );
    expect(toEn.text).toContain('Hello John,');
    expect(toEn.text).toContain('It was closed early. Reason:');

    // Each mail carries its own follower's link, which works without signing in.
    for (const [mail, who] of [
      [toBg, bg],
      [toEn, en],
    ] as const) {
      const token = unsubscribeLink.exec(mail.text)?.[1];
      expect(token).toBe(await tokenOf(c.id, who));
      expect(mail.html).toContain(`href="${origin}/follows/unsubscribe?token=${token}"`);
      expect((await unsubscribe(token!)).statusCode).toBe(200);
      expect(await following(c.id, who)).toBe(false);
    }
  });

  it('queues the closing mails once when the scheduler closes a consultation on time', async () => {
    const c = await consultation('open', { titleEn: null });
    const bg = await resident();
    const en = await resident({ locale: 'en' });
    for (const who of [bg, en]) await follow(c.id, who);
    await t.app.db
      .update(consultations)
      .set({ closesAt: sql`now() - interval '1 second'` })
      .where(eq(consultations.id, c.id));

    const [first, second] = [
      await runConsultationSchedule(t.app.db),
      await runConsultationSchedule(t.app.db),
    ];
    expect(first.closed).toContain(c.id);
    expect(second.closed).not.toContain(c.id);

    const mails = await mailsAbout(c.id);
    expect(mails).toHaveLength(2);
    const toEn = mails.find((m) => m.to === en.email)!;
    // Without an English title the Bulgarian one is used; closing on time has no reason.
    expect(toEn.subject).toContain('“Наредба за зелените площи” has closed');
    expect(toEn.text).not.toContain('Reason');
    const token = unsubscribeLink.exec(toEn.text)?.[1];
    const info = await t.inject({ method: 'GET', url: `/api/follows/unsubscribe?token=${token}` });
    expect(info.json()).toMatchObject({ consultationId: c.id, titleEn: null });
    expect((await unsubscribe(token!)).statusCode).toBe(200);
  });

  it('sends nothing when a close fails, and nothing to anyone for an unfollowed consultation', async () => {
    const c = await consultation('scheduled');
    const maria = await resident();
    await follow(c.id, maria);
    const refused = await t.inject({
      method: 'POST',
      url: `/api/admin/consultations/${c.id}/close`,
      cookie: admin.cookie,
      payload: { reason: 'Причина' },
    });
    expect(refused.statusCode).toBe(409);
    expect(await mailsAbout(c.id)).toHaveLength(0);

    const quiet = await consultation('open');
    await closeEarly(quiet.id);
    expect(await mailsAbout(quiet.id)).toHaveLength(0);
  });

  it('mails the report to every follower and a response only to its author, if following', async () => {
    const c = await consultation('open');
    const author = await resident({ locale: 'en', displayName: 'Author' });
    const other = await resident();
    const notFollowing = await resident();
    await follow(c.id, author);
    await follow(c.id, other);
    const proposal = async (who: Person) => {
      const [row] = await t.app.db
        .insert(comments)
        .values({ consultationId: c.id, authorId: who.id, body: 'Предложение', versionNumber: 1 })
        .returning({ id: comments.id });
      return row!.id;
    };
    const byAuthor = await proposal(author);
    const byNonFollower = await proposal(notFollowing);

    await t.app.db.transaction((tx) =>
      notifyFollowers(tx, {
        kind: 'response_published',
        consultationId: c.id,
        commentId: byAuthor,
      }),
    );
    await t.app.db.transaction((tx) =>
      notifyFollowers(tx, {
        kind: 'response_published',
        consultationId: c.id,
        commentId: byNonFollower,
      }),
    );
    // A comment of another consultation does not reach this one's followers.
    const elsewhere = await consultation('open');
    await t.app.db.transaction((tx) =>
      notifyFollowers(tx, {
        kind: 'response_published',
        consultationId: elsewhere.id,
        commentId: byAuthor,
      }),
    );
    let mails = await mailsAbout(c.id);
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      [author.email, 'A response to your proposal – Stara Zagora Municipality'],
    ]);
    expect(await mailsAbout(elsewhere.id)).toHaveLength(0);

    await t.app.db.transaction((tx) =>
      notifyFollowers(tx, { kind: 'report_published', consultationId: c.id }),
    );
    mails = (await mailsAbout(c.id)).filter((m) => !m.subject.startsWith('A response'));
    expect(mails.map((m) => m.to).sort()).toEqual([author.email, other.email].sort());
    expect(mails.find((m) => m.to === other.email)!.subject).toBe(
      'Публикувана е справката по консултацията „Наредба за зелените площи“ – Община Стара Загора',
    );
    expect(mails.every((m) => unsubscribeLink.test(m.text))).toBe(true);
  });

  it('queues nothing when the transaction that announced it rolls back', async () => {
    const c = await consultation('open');
    await follow(c.id, await resident());
    await expect(
      t.app.db.transaction(async (tx) => {
        await notifyFollowers(tx, { kind: 'report_published', consultationId: c.id });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await mailsAbout(c.id)).toHaveLength(0);
  });

  it('queues mail for thousands of followers in a few multi-row inserts', async () => {
    const c = await consultation('open');
    const count = 2500;
    const stamp = Date.now().toString(36);
    const people = await t.app.db
      .insert(users)
      .values(
        Array.from({ length: count }, (_, i) => ({
          email: `follower-${stamp}-${i}@example.bg`,
          displayName: `Последовател ${i}`,
          locale: i % 2 === 0 ? ('bg' as const) : ('en' as const),
          emailVerifiedAt: new Date(),
        })),
      )
      .returning({ id: users.id });
    await t.app.db.insert(consultationFollows).values(
      people.map(({ id }, i) => ({
        consultationId: c.id,
        userId: id,
        unsubscribeToken: `${stamp}${String(i).padStart(6, '0')}`.padEnd(52, 'a'),
      })),
    );

    let inserts = 0;
    await t.app.db.transaction(async (tx) => {
      const counting = new Proxy(tx, {
        get(target, property, receiver) {
          if (property === 'insert') inserts += 1;
          return Reflect.get(target, property, receiver) as unknown;
        },
      }) as Executor;
      await notifyFollowers(counting, { kind: 'report_published', consultationId: c.id });
    });
    expect(inserts).toBe(3);
    const [queued] = await t.app.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(outboxMails)
      .where(
        inArray(
          outboxMails.userId,
          people.map((p) => p.id),
        ),
      );
    expect(queued?.n).toBe(count);
  });

  it('delivers a follower mail through the real sender with its links intact', async () => {
    const c = await consultation('open');
    const maria = await resident({ displayName: 'Мария' });
    await follow(c.id, maria);
    await t.app.db.delete(outboxMails);
    await closeEarly(c.id);

    const smtp = await startSmtp();
    const sender = new MailSender({
      db: t.app.db,
      smtpUrl: smtp.url,
      from: 'Община Стара Загора <no-reply@sabor.example>',
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    try {
      expect(await sender.deliverDue()).toBe(1);
      const [received] = smtp.received;
      expect(received?.recipients).toEqual([maria.email]);
      const mail = received!.mail;
      expect(mail.subject).toBe(
        'Консултацията „Наредба за зелените площи“ приключи – Община Стара Загора',
      );
      const token = unsubscribeLink.exec(mail.text ?? '')?.[1];
      expect(token).toBe(await tokenOf(c.id, maria));
      expect(mail.html).toContain(`href="${origin}/follows/unsubscribe?token=${token}"`);
      expect(mail.html).toContain(`href="${origin}/consultations/${c.id}"`);
      const header = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line;
      // Long headers are folded onto several lines (RFC 5322); unfold before comparing.
      expect(header?.replace(/\r\n\s+/g, ' ')).toBe(
        `List-Unsubscribe: <${origin}/follows/unsubscribe?token=${token}>`,
      );
      expect((await unsubscribe(token!)).statusCode).toBe(200);
    } finally {
      await sender.stop();
      await smtp.close();
    }
  });
});

describe('follower mail templates', () => {
  const shared = {
    displayName: 'Мария',
    title: 'Наредба',
    url: 'https://sabor.example/consultations/1',
    unsubscribeUrl: 'https://sabor.example/follows/unsubscribe?token=abc',
  };

  it.each(['bg', 'en'] as const)('put the unsubscribe line after the signature (%s)', (locale) => {
    for (const template of [
      { kind: 'consultation_closed' as const, reason: null, ...shared },
      { kind: 'report_published' as const, ...shared },
      { kind: 'response_published' as const, ...shared },
    ]) {
      const mail = renderMail(followerMail(template, locale, 'Община'), locale, { name: 'Община' });
      const text = mail.text;
      expect(text.indexOf(shared.unsubscribeUrl)).toBeGreaterThan(text.indexOf('Община\n'));
      expect(text).toContain(shared.url);
      expect(mail.html).toContain(`href="${shared.unsubscribeUrl}"`);
    }
  });

  it('refuse links that are not http(s)', () => {
    expect(() =>
      renderMail(
        followerMail(
          { kind: 'report_published', ...shared, unsubscribeUrl: 'javascript:alert(1)' },
          'bg',
          'Община',
        ),
        'bg',
        { name: 'Община' },
      ),
    ).toThrow('http(s)');
  });
});
