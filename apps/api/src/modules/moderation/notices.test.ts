import {
  hideReasonLabel,
  localeCookieName,
  locales,
  userLiveEventSchema,
  type Consultation,
  type UserNoticeList,
} from '@sabor/contracts';
import { liveEvents, outboxMails, userNotices, users } from '@sabor/db';
import { desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsultation } from '../../../test/fixtures';
import { buildTestApp, type TestApp } from '../../../test/helper';
import { renderMail } from '../mail/render';
import { moderationMail, type ModerationMail } from './mails';
import { sendNotice, type NoticeInput } from './notices';
import { postCommentOk, settledPerson, type Person } from './people-fixtures';

let t: TestApp;
let admin: Person;
let consultation: Consultation;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await settledPerson(t, { role: 'admin' });
  consultation = await openConsultation(t, admin.cookie, {
    titleBg: 'Наредба за зелените площи',
    titleEn: 'Green spaces ordinance',
  });
});
afterAll(async () => {
  await t.close();
});

const notify = (notice: NoticeInput) =>
  t.app.db.transaction((tx) => sendNotice(tx, { config: t.config }, notice));

const mailsTo = (email: string) =>
  t.app.db
    .select()
    .from(outboxMails)
    .where(eq(outboxMails.to, email))
    .orderBy(desc(outboxMails.createdAt));

const eventsOf = (userId: string) =>
  t.app.db
    .select()
    .from(liveEvents)
    .where(eq(liveEvents.topic, `user:${userId}`));

async function notices(who: Person, language = 'bg'): Promise<UserNoticeList> {
  const response = await t.inject({
    method: 'GET',
    url: '/api/account/notices',
    // The language cookie (the language switch) outranks the account's language.
    cookie: `${who.cookie}; ${localeCookieName}=${language}`,
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('sendNotice', () => {
  it('stores the notice, mails the author in their language with a link to the comment, and publishes it on their topic', async () => {
    const author = await settledPerson(t, { locale: 'en' });
    const comment = await postCommentOk(t, consultation.id, author);
    const sent = await notify({
      userId: author.id,
      kind: 'comment_hidden',
      consultationId: consultation.id,
      commentId: comment.id,
      reasonCode: 'offensive',
      reasonText: 'Insults another resident',
    });
    expect(sent.mailed).toBe(true);
    expect(sent.notice).toMatchObject({
      kind: 'comment_hidden',
      consultation: { id: consultation.id, title: 'Green spaces ordinance' },
      commentId: comment.id,
      reasonCode: 'offensive',
      reasonText: 'Insults another resident',
      read: false,
    });

    const [mail] = await mailsTo(author.email);
    expect(mail?.subject).toMatch(/^Your comment has been hidden – /);
    expect(mail?.text).toContain(
      hideReasonLabel({ reasonCode: 'offensive', reasonText: 'Insults another resident' }, 'en'),
    );
    expect(mail?.text).toContain(
      `${t.config.publicOrigin}/consultations/${consultation.id}#comment-${comment.id}`,
    );
    expect(mail?.text).toContain('Green spaces ordinance');

    const [event] = await eventsOf(author.id);
    expect(userLiveEventSchema.parse(event?.payload)).toEqual({
      type: 'notice',
      notice: sent.notice,
    });
  });

  it('explains a hold in the author’s words, for every hold reason', async () => {
    const author = await settledPerson(t);
    const comment = await postCommentOk(t, consultation.id, author);
    for (const holdReason of [
      'premoderation',
      'new_account',
      'word_list',
      'link_from_new_account',
    ] as const) {
      await notify({
        userId: author.id,
        kind: 'comment_held',
        consultationId: consultation.id,
        commentId: comment.id,
        holdReason,
      });
    }
    const mails = await mailsTo(author.email);
    const held = mails.filter((mail) => mail.subject.startsWith('Коментарът ви очаква преглед'));
    expect(held).toHaveLength(4);
    expect(new Set(held.map((mail) => mail.text)).size).toBe(4);
    expect(held.every((mail) => mail.text.includes('„Наредба за зелените площи“'))).toBe(true);
    expect((await notices(author)).items.map((n) => n.holdReason)).toEqual([
      'link_from_new_account',
      'word_list',
      'new_account',
      'premoderation',
    ]);
  });

  it('mails no unverified address; the notice still reaches the app and the live topic', async () => {
    const author = await settledPerson(t, { verified: false });
    const sent = await notify({ userId: author.id, kind: 'warning', reasonText: 'Спам' });
    expect(sent.mailed).toBe(false);
    expect(sent.notice).not.toBeNull();
    expect((await mailsTo(author.email)).map((m) => m.subject).join()).not.toMatch(
      /Предупреждение/,
    );
    expect(await eventsOf(author.id)).toHaveLength(1);
  });

  it('tells a deleted account nothing', async () => {
    const author = await settledPerson(t);
    await t.app.db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, author.id));
    const sent = await notify({ userId: author.id, kind: 'warning', reasonText: 'Спам' });
    expect(sent).toEqual({ notice: null, mailed: false });
    expect(
      await t.app.db.select().from(userNotices).where(eq(userNotices.userId, author.id)),
    ).toEqual([]);
    expect(await eventsOf(author.id)).toEqual([]);
  });

  it('leaves nothing behind when the decision’s transaction rolls back', async () => {
    const author = await settledPerson(t);
    await expect(
      t.app.db.transaction(async (tx) => {
        await sendNotice(
          tx,
          { config: t.config },
          {
            userId: author.id,
            kind: 'warning',
            reasonText: 'Спам',
          },
        );
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow('the decision failed');
    expect(
      await t.app.db.select().from(userNotices).where(eq(userNotices.userId, author.id)),
    ).toEqual([]);
    expect((await mailsTo(author.email)).map((m) => m.subject).join()).not.toMatch(
      /Предупреждение/,
    );
    expect(await eventsOf(author.id)).toEqual([]);
  });
});

describe('GET /api/account/notices and POST /api/account/notices/read', () => {
  it('answers 401 to anonymous callers', async () => {
    expect((await t.inject({ method: 'GET', url: '/api/account/notices' })).statusCode).toBe(401);
    expect((await t.inject({ method: 'POST', url: '/api/account/notices/read' })).statusCode).toBe(
      401,
    );
  });

  it('lists the person’s own notices only, newest first, titled in the reader’s language', async () => {
    const author = await settledPerson(t);
    const other = await settledPerson(t);
    const comment = await postCommentOk(t, consultation.id, author);
    await notify({
      userId: author.id,
      kind: 'comment_approved',
      consultationId: consultation.id,
      commentId: comment.id,
    });
    await notify({
      userId: author.id,
      kind: 'warning',
      reasonText: '<img src=x onerror=alert(1)>',
    });
    await notify({ userId: other.id, kind: 'warning', reasonText: 'Чуждо' });

    const bg = await notices(author, 'bg');
    expect(bg.unread).toBe(2);
    expect(bg.items.map((n) => n.kind)).toEqual(['warning', 'comment_approved']);
    expect(bg.items[0]).toMatchObject({
      consultation: null,
      reasonText: '<img src=x onerror=alert(1)>',
    });
    expect(bg.items[1]?.consultation).toEqual({
      id: consultation.id,
      slug: null,
      title: 'Наредба за зелените площи',
    });
    expect((await notices(author, 'en')).items[1]?.consultation?.title).toBe(
      'Green spaces ordinance',
    );
    expect(JSON.stringify(bg)).not.toContain('Чуждо');
  });

  it('marks all read, again harmlessly, without touching anyone else’s', async () => {
    const author = await settledPerson(t);
    const other = await settledPerson(t);
    await notify({ userId: author.id, kind: 'warning', reasonText: 'Първо' });
    await notify({ userId: author.id, kind: 'warning', reasonText: 'Второ' });
    await notify({ userId: other.id, kind: 'warning', reasonText: 'Чуждо' });

    const read = async () => {
      const response = await t.inject({
        method: 'POST',
        url: '/api/account/notices/read',
        cookie: author.cookie,
      });
      expect(response.statusCode).toBe(200);
      return response.json<UserNoticeList>();
    };
    const first = await read();
    expect(first.unread).toBe(0);
    expect(first.items.every((n) => n.read)).toBe(true);
    const [stamp] = await t.app.db
      .select({ readAt: userNotices.readAt })
      .from(userNotices)
      .where(eq(userNotices.userId, author.id));
    expect((await read()).unread).toBe(0);
    const [again] = await t.app.db
      .select({ readAt: userNotices.readAt })
      .from(userNotices)
      .where(eq(userNotices.userId, author.id));
    expect(again?.readAt).toEqual(stamp?.readAt);
    expect((await notices(other)).unread).toBe(1);
  });

  it('refuses a read request from another site', async () => {
    const author = await settledPerson(t);
    await notify({ userId: author.id, kind: 'warning', reasonText: 'Спам' });
    const response = await t.inject({
      method: 'POST',
      url: '/api/account/notices/read',
      cookie: author.cookie,
      headers: { origin: 'https://evil.example' },
    });
    expect(response.statusCode).toBe(403);
    expect((await notices(author)).unread).toBe(1);
  });

  it('lists the newest 50 and counts every unread one', async () => {
    const author = await settledPerson(t);
    await t.app.db.insert(userNotices).values(
      Array.from({ length: 55 }, (_, index) => ({
        userId: author.id,
        kind: 'warning' as const,
        reasonText: `Бележка ${index}`,
        createdAt: sql`now() - make_interval(mins => ${55 - index})`,
      })),
    );
    const list = await notices(author);
    expect(list.unread).toBe(55);
    expect(list.items).toHaveLength(50);
    expect(list.items[0]?.reasonText).toBe('Бележка 54');
    expect(list.items[49]?.reasonText).toBe('Бележка 5');
  });
});

describe('moderation mail templates', () => {
  const site = { bg: 'Община Стара Загора', en: 'Stara Zagora Municipality' };
  const url = 'https://sabor.example/consultations/c1#comment-x';
  const shared = { displayName: 'Мария', title: 'Наредба', url };
  const templates: ModerationMail[] = [
    { kind: 'comment_held', holdReason: 'word_list', ...shared },
    { kind: 'comment_hidden', reasonCode: 'other', reasonText: 'Лични нападки', ...shared },
    { kind: 'comment_restored', ...shared },
    { kind: 'comment_approved', ...shared },
    { kind: 'account_warning', displayName: 'Мария', reason: 'Обиди' },
  ];

  it.each(locales.flatMap((locale) => templates.map((template) => [locale, template] as const)))(
    '%s: every moderation mail greets, explains and links where it is about a comment',
    (locale, template) => {
      const mail = renderMail(moderationMail(template, locale, site[locale]), locale, {
        name: site[locale],
      });
      expect(mail.subject.endsWith(` – ${site[locale]}`)).toBe(true);
      expect(mail.text).toContain('Мария');
      if ('url' in template) expect(mail.html).toContain(`href="${url}"`);
      if ('reason' in template) expect(mail.text).toContain(template.reason);
    },
  );
});
