import {
  retryAtMessage,
  consultationLiveEventSchema,
  moderationLiveEventSchema,
  moderationQueueTopic,
  type Consultation,
  type ErrorBody,
  type Locale,
} from '@sabor/contracts';
import { comments, consultationFollows, consultationStats, userNotices, users } from '@sabor/db';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openConsultation, connect, secondInstance, until } from '../../../test/fixtures';
import { buildTestApp, setModerationSettings, signUp, type TestApp } from '../../../test/helper';
import { findListedWords, hasLink } from './holds';
import {
  ageAccount,
  commentsOf,
  decideOk,
  errorOf,
  eventsOn,
  itemRowOf,
  postComment,
  postOk,
  report,
  threadOf,
  type Person,
} from './test-support';

let t: TestApp;
let admin: Person;
let moderator: Person;
let reader: Person;

/** The settings each test starts from: nothing automatic but what the test switches on. */
const neutral = {
  autoHideReports: 3,
  newAccountHours: 24,
  newAccountHeldComments: 0,
  newAccountPerMinute: 0,
  newAccountPerDay: 0,
  holdLinksFromNewAccounts: false,
  wordsBg: [],
  wordsEn: [],
};

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  admin = await signUp(t, { role: 'admin' });
  moderator = await signUp(t, { role: 'moderator' });
  reader = await signUp(t, { displayName: 'Читател Читателев' });
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await setModerationSettings(t, neutral);
});

async function statsOf(consultationId: string) {
  const [row] = await t.app.db
    .select()
    .from(consultationStats)
    .where(eq(consultationStats.consultationId, consultationId));
  return row ?? { proposalCount: 0, participantCount: 0 };
}

async function commentCountOf(authorId: string): Promise<number> {
  const [row] = await t.app.db
    .select({ value: count() })
    .from(comments)
    .where(eq(comments.authorId, authorId));
  return row?.value ?? 0;
}

async function createdAtOf(commentId: string): Promise<Date> {
  const [row] = await t.app.db
    .select({ createdAt: comments.createdAt })
    .from(comments)
    .where(eq(comments.id, commentId));
  return row!.createdAt;
}

/** A post refused or not, and the moments before it was sent and after its answer arrived. */
async function timedPost(...args: Parameters<typeof postComment>) {
  const sentAfter = Date.now();
  const response = await postComment(...args);
  return { response, sentAfter, answeredBefore: Date.now() };
}

/**
 * A refusal that names `retryAt`: in the body, as Retry-After (whole seconds, rounded up, from when
 * it was answered) and in the message, in the caller's language and Sofia's time.
 */
function expectRetryAt(
  refused: Awaited<ReturnType<typeof timedPost>>,
  retryAt: Date,
  locale: Locale = 'bg',
) {
  const { response, sentAfter, answeredBefore } = refused;
  expect(response.statusCode).toBe(429);
  const error = response.json<ErrorBody>().error;
  expect(error.code).toBe('comment_rate_limited');
  expect(error.retryAt).toBe(retryAt.toISOString());
  const secondsFrom = (moment: number) => Math.ceil((retryAt.getTime() - moment) / 1000);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(secondsFrom(answeredBefore));
  expect(retryAfter).toBeLessThanOrEqual(secondsFrom(sentAfter));
  const sentence = retryAtMessage(retryAt, locale, new Date(sentAfter));
  // The message names the time; the wait ("in 12 minutes") depends on the moment it was said.
  expect(error.message).toContain(sentence.slice(0, sentence.indexOf(' (')));
  expect(error.message).toMatch(
    locale === 'bg' ? /\(след \d+ (минут|час)/ : /\(in \d+ (minute|hour)/,
  );
}

/** What the thread's readers heard about its comments (not the consultation's own changes). */
async function publicEventTypes(consultationId: string): Promise<string[]> {
  const events = await eventsOn(t, `consultation:${consultationId}`);
  return events
    .map((event) => consultationLiveEventSchema.parse(event).type)
    .filter((type) => type.startsWith('comment_') || type === 'support_changed');
}

describe('listed words and links', () => {
  const lists = (wordsBg: string[], wordsEn: string[] = []) => ({ wordsBg, wordsEn });

  it('finds listed words whole, in any case, Cyrillic included', () => {
    const settings = lists(['спам', 'купи сега', 'измамник'], ['scam', '$$$']);
    expect(findListedWords('Това е СПАМ!', settings)).toEqual(['спам']);
    expect(findListedWords('„Спам“, казах.', settings)).toEqual(['спам']);
    expect(findListedWords('Купи\n  сега, евтино', settings)).toEqual(['купи сега']);
    expect(findListedWords('A SCAM. Pay $$$ now', settings)).toEqual(['scam', '$$$']);
    expect(findListedWords('Той е измамник и спам', settings)).toEqual(['спам', 'измамник']);
  });

  it('does not match a listed word inside a longer one (where \\b would)', () => {
    const settings = lists(['спам', 'измамник'], ['scam']);
    for (const text of ['спамер', 'антиспам', 'измамници', 'xспам', 'спам5', 'scams', 'noscam']) {
      expect(findListedWords(text, settings), text).toEqual([]);
    }
  });

  it('takes listed words as text, not as patterns', () => {
    expect(findListedWords('a.b', lists(['a*b']))).toEqual([]);
    expect(findListedWords('axb', lists(['a.b']))).toEqual([]);
    expect(findListedWords('(.*)', lists(['(.*)']))).toEqual(['(.*)']);
  });

  it('sees http(s), www. and Markdown links, and nothing else', () => {
    for (const text of [
      'Вижте https://example.bg',
      'HTTP://EXAMPLE.BG',
      'на www.example.com',
      '[тук](https://example.bg)',
      '[тук](пример)',
    ]) {
      expect(hasLink(text), text).toBe(true);
    }
    for (const text of ['Вижте чл. 5, ал. 2', 'kmet@example.bg', 'awww.com', '[бележка] (1)']) {
      expect(hasLink(text), text).toBe(false);
    }
  });
});

describe('rate limits for new accounts', () => {
  it('refuses the comment over the per-minute limit with 429 and writes nothing', async () => {
    await setModerationSettings(t, { newAccountPerMinute: 2 });
    const c = await openConsultation(t, admin.cookie);
    const fresh = await signUp(t);
    await postOk(t, fresh, c.id);
    await postOk(t, fresh, c.id, { body: 'Второ' });
    const refused = await postComment(t, fresh, c.id, { body: 'Трето' });
    expect(refused.statusCode).toBe(429);
    expect(errorOf(refused)).toMatchObject({
      code: 'comment_rate_limited',
      message: expect.stringContaining('твърде често') as unknown,
    });
    expect(await commentCountOf(fresh.id)).toBe(2);
    expect(await publicEventTypes(c.id)).toEqual(['comment_created', 'comment_created']);
    expect((await statsOf(c.id)).proposalCount).toBe(2);
  });

  it('refuses comments over the cap for the account’s first hours', async () => {
    await setModerationSettings(t, { newAccountPerDay: 3 });
    const c = await openConsultation(t, admin.cookie);
    const fresh = await signUp(t);
    for (let i = 0; i < 3; i += 1) await postOk(t, fresh, c.id, { body: `Коментар ${i}` });
    const refused = await postComment(t, fresh, c.id, { body: 'Четвърти' });
    expect(refused.statusCode).toBe(429);
    expect(errorOf(refused).code).toBe('comment_rate_limited');
    expect(await commentCountOf(fresh.id)).toBe(3);
  });

  it('says when the per-minute limit lets the author post again: a minute after the post it counted first', async () => {
    await setModerationSettings(t, { newAccountPerMinute: 2 });
    const c = await openConsultation(t, admin.cookie);
    const fresh = await signUp(t);
    const first = await postOk(t, fresh, c.id, { body: 'Първо' });
    await postOk(t, fresh, c.id, { body: 'Второ' });
    const refused = await timedPost(t, fresh, c.id, { body: 'Трето' });
    const storedFirst = await createdAtOf(first.id);
    expectRetryAt(refused, new Date(storedFirst.getTime() + 60_000));
  });

  it('says when the cap for new accounts lifts: when the account stops being new', async () => {
    await setModerationSettings(t, { newAccountPerDay: 1, newAccountHours: 6 });
    const c = await openConsultation(t, admin.cookie);
    const fresh = await signUp(t);
    // Signed up two hours ago, reading in English: four hours of being new are left.
    const signedUp = new Date(Date.now() - 2 * 60 * 60_000);
    await t.app.db
      .update(users)
      .set({ createdAt: signedUp, locale: 'en' })
      .where(eq(users.id, fresh.id));
    await postOk(t, fresh, c.id);
    const refused = await timedPost(t, fresh, c.id, { body: 'Второ' });
    expectRetryAt(refused, new Date(signedUp.getTime() + 6 * 60 * 60_000), 'en');
  });

  it('when both limits stop a post, names the later time', async () => {
    await setModerationSettings(t, { newAccountPerMinute: 1, newAccountPerDay: 1 });
    const c = await openConsultation(t, admin.cookie);
    const fresh = await signUp(t);
    await postOk(t, fresh, c.id);
    const refused = await timedPost(t, fresh, c.id, { body: 'Второ' });
    const [author] = await t.app.db
      .select({ createdAt: users.createdAt })
      .from(users)
      .where(eq(users.id, fresh.id));
    expectRetryAt(refused, new Date(author!.createdAt.getTime() + 24 * 60 * 60_000));
  });

  it('counts one account’s simultaneous posts exactly', async () => {
    await setModerationSettings(t, { newAccountPerMinute: 3 });
    const c = await openConsultation(t, admin.cookie);
    const fresh = await signUp(t);
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        postComment(t, fresh, c.id, { body: `Едновременно ${i}` }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429]);
    expect(await commentCountOf(fresh.id)).toBe(3);
  });

  it('does not limit older accounts, moderators or admins', async () => {
    await setModerationSettings(t, { newAccountPerMinute: 1, newAccountPerDay: 1 });
    const c = await openConsultation(t, admin.cookie);
    const old = await signUp(t);
    await ageAccount(t, old);
    const freshModerator = await signUp(t, { role: 'moderator' });
    const freshAdmin = await signUp(t, { role: 'admin' });
    for (const who of [old, freshModerator, freshAdmin]) {
      for (let i = 0; i < 3; i += 1) await postOk(t, who, c.id, { body: `Свободно ${i}` });
    }
  });

  it('stops limiting once the account is no longer new (0 hours: never new)', async () => {
    await setModerationSettings(t, { newAccountPerMinute: 1, newAccountHours: 0 });
    const c = await openConsultation(t, admin.cookie);
    const fresh = await signUp(t);
    await postOk(t, fresh, c.id);
    await postOk(t, fresh, c.id);
  });
});

describe('holds', () => {
  let premoderated: Consultation;
  beforeAll(async () => {
    const created = await openConsultation(t, admin.cookie, { premoderated: true });
    premoderated = created;
  });

  it('holds every resident comment of a pre-moderated consultation out of the thread', async () => {
    const c = await openConsultation(t, admin.cookie, { premoderated: true });
    expect(c.premoderated).toBe(true);
    const author = await signUp(t);
    await ageAccount(t, author);
    const held = await postOk(t, author, c.id, { body: 'Чакам одобрение' });
    expect(held).toMatchObject({
      mine: true,
      body: 'Чакам одобрение',
      moderation: { state: 'held', holdReason: 'premoderation', reasonCode: null },
    });
    // Everyone else: nothing at all.
    for (const who of [undefined, reader]) {
      const list = await threadOf(t, c.id, who);
      expect(list.items).toEqual([]);
      expect(list.total).toBe(0);
    }
    // Its author, marked; moderators and admins with why it waits.
    for (const who of [author, moderator, admin]) {
      const shown = commentsOf(await threadOf(t, c.id, who)).get(held.id);
      expect(shown, who.email).toMatchObject({
        body: 'Чакам одобрение',
        moderation: { state: 'held', holdReason: 'premoderation' },
      });
    }
    // Not counted, not announced, not followed; in the queue; the author is told.
    expect(await statsOf(c.id)).toMatchObject({ proposalCount: 0, participantCount: 0 });
    const read = await t.inject({ method: 'GET', url: `/api/consultations/${c.id}` });
    expect(read.json()).toMatchObject({ participantCount: 0 });
    expect(await publicEventTypes(c.id)).toEqual([]);
    const follows = await t.app.db
      .select()
      .from(consultationFollows)
      .where(eq(consultationFollows.userId, author.id));
    expect(follows).toEqual([]);
    expect(await itemRowOf(t, held.id)).toMatchObject({
      status: 'pending',
      cause: 'held',
      holdReason: 'premoderation',
      consultationId: c.id,
      authorId: author.id,
    });
    const queueEvents = (await eventsOn(t, moderationQueueTopic)).map((event) =>
      moderationLiveEventSchema.parse(event),
    );
    expect(queueEvents.at(-1)).toMatchObject({
      type: 'item_changed',
      item: { comment: { id: held.id }, cause: 'held', status: 'pending' },
    });
    const notices = await t.app.db
      .select()
      .from(userNotices)
      .where(eq(userNotices.userId, author.id));
    expect(notices).toMatchObject([
      { kind: 'comment_held', commentId: held.id, holdReason: 'premoderation' },
    ]);
  });

  it('does not hold moderators and admins, even in a pre-moderated consultation', async () => {
    await setModerationSettings(t, { wordsBg: ['забранено'], holdLinksFromNewAccounts: true });
    for (const who of [moderator, admin]) {
      const comment = await postOk(t, who, premoderated.id, {
        body: 'забранено https://example.bg',
      });
      expect(comment.moderation.state).toBe('visible');
    }
  });

  it('keeps a held reply out of its parent’s count and the replies of other readers', async () => {
    const proposal = await postOk(t, moderator, premoderated.id, { body: 'Въпрос от общината' });
    const author = await signUp(t);
    const reply = await postOk(t, author, premoderated.id, {
      body: 'Задържан отговор',
      parentId: proposal.id,
    });
    expect(reply.moderation.state).toBe('held');
    const publicView = commentsOf(await threadOf(t, premoderated.id)).get(proposal.id)!;
    expect(publicView.replyCount).toBe(0);
    const replies = (who?: Person) =>
      t.inject({
        method: 'GET',
        url: `/api/consultations/${premoderated.id}/comments/${proposal.id}/replies`,
        cookie: who?.cookie,
      });
    expect((await replies()).json()).toMatchObject({ items: [] });
    expect((await replies(reader)).json()).toMatchObject({ items: [] });
    expect((await replies(author)).json()).toMatchObject({
      items: [{ id: reply.id, moderation: { state: 'held', holdReason: 'premoderation' } }],
    });
    const [row] = await t.app.db.select().from(comments).where(eq(comments.id, proposal.id));
    expect(row!.replyCount).toBe(0);
  });

  it('refuses replies to, supports of and reports on a held comment', async () => {
    const author = await signUp(t);
    const held = await postOk(t, author, premoderated.id);
    for (const who of [reader, moderator, author]) {
      const replyTo = await postComment(t, who, premoderated.id, { parentId: held.id });
      expect(replyTo.statusCode).toBe(400);
      expect(errorOf(replyTo).fields).toMatchObject({
        parentId: { code: 'reply_parent_invalid' },
      });
    }
    const supported = await t.inject({
      method: 'PUT',
      url: `/api/comments/${held.id}/support`,
      cookie: reader.cookie,
    });
    expect(supported.statusCode).toBe(409);
    expect(errorOf(supported).code).toBe('comment_hidden');
    // Others do not know it exists; its author cannot report their own.
    expect((await report(t, reader, held.id)).statusCode).toBe(404);
    expect((await report(t, author, held.id)).statusCode).toBe(403);
  });

  it('holds a new account’s first comments, then publishes', async () => {
    await setModerationSettings(t, { newAccountHeldComments: 2 });
    const c = await openConsultation(t, admin.cookie);
    const fresh = await signUp(t);
    const first = await postOk(t, fresh, c.id, { body: 'Първо' });
    const second = await postOk(t, fresh, c.id, { body: 'Второ' });
    const third = await postOk(t, fresh, c.id, { body: 'Трето' });
    expect([first, second, third].map((x) => x.moderation)).toMatchObject([
      { state: 'held', holdReason: 'new_account' },
      { state: 'held', holdReason: 'new_account' },
      { state: 'visible', holdReason: null },
    ]);
    const old = await signUp(t);
    await ageAccount(t, old);
    expect((await postOk(t, old, c.id)).moderation.state).toBe('visible');
  });

  it('holds comments with listed words, Bulgarian or English, and records the words', async () => {
    await setModerationSettings(t, { wordsBg: ['измамник', 'купи сега'], wordsEn: ['scam'] });
    const c = await openConsultation(t, admin.cookie);
    const author = await signUp(t);
    await ageAccount(t, author);
    const bg = await postOk(t, author, c.id, { body: 'Кметът е ИЗМАМНИК! Купи сега.' });
    expect(bg.moderation).toMatchObject({ state: 'held', holdReason: 'word_list' });
    expect(await itemRowOf(t, bg.id)).toMatchObject({
      holdReason: 'word_list',
      holdDetails: { words: ['измамник', 'купи сега'] },
    });
    const en = await postOk(t, author, c.id, { body: 'This is a Scam.' });
    expect(en.moderation).toMatchObject({ state: 'held', holdReason: 'word_list' });
    const clean = await postOk(t, author, c.id, { body: 'Измамници няма тук, само scams.' });
    expect(clean.moderation.state).toBe('visible');
    expect(await itemRowOf(t, clean.id)).toBeUndefined();
  });

  it('looks for listed words again when the author edits a held comment', async () => {
    await setModerationSettings(t, { wordsBg: ['измамник'], wordsEn: ['scam'] });
    const c = await openConsultation(t, admin.cookie);
    const author = await signUp(t);
    await ageAccount(t, author);
    const held = await postOk(t, author, c.id, { body: 'Той е измамник.' });
    const edit = (body: string) =>
      t.inject({
        method: 'PATCH',
        url: `/api/comments/${held.id}`,
        cookie: author.cookie,
        payload: { body },
      });
    const edited = await edit('Той е измамник и това е scam.');
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      body: 'Той е измамник и това е scam.',
      moderation: { state: 'held', holdReason: 'word_list' },
    });
    expect((await itemRowOf(t, held.id))!.holdDetails).toEqual({ words: ['измамник', 'scam'] });
    expect((await edit('Учтив текст.')).json()).toMatchObject({ moderation: { state: 'held' } });
    expect((await itemRowOf(t, held.id))!.holdDetails).toBeNull();
    // The thread's readers hear nothing of a comment they cannot see.
    expect(await publicEventTypes(c.id)).toEqual([]);
    const queued = await t.inject({
      method: 'GET',
      url: `/api/moderation/items/${(await itemRowOf(t, held.id))!.id}`,
      cookie: moderator.cookie,
    });
    expect(queued.json()).toMatchObject({ comment: { body: 'Учтив текст.' }, matchedWords: [] });
  });

  it('holds links from new accounts when set to, and only then', async () => {
    const c = await openConsultation(t, admin.cookie);
    const fresh = await signUp(t);
    const old = await signUp(t);
    await ageAccount(t, old);
    await setModerationSettings(t, { holdLinksFromNewAccounts: true });
    for (const body of ['Вижте https://example.bg', 'на www.example.bg', '[тук](https://x.bg)']) {
      const comment = await postOk(t, fresh, c.id, { body });
      expect(comment.moderation, body).toMatchObject({
        state: 'held',
        holdReason: 'link_from_new_account',
      });
    }
    expect((await postOk(t, old, c.id, { body: 'https://example.bg' })).moderation.state).toBe(
      'visible',
    );
    await setModerationSettings(t, { holdLinksFromNewAccounts: false });
    expect((await postOk(t, fresh, c.id, { body: 'https://example.bg' })).moderation.state).toBe(
      'visible',
    );
  });

  it('lets the author delete a held comment without telling the thread', async () => {
    const author = await signUp(t);
    const c = await openConsultation(t, admin.cookie, { premoderated: true });
    const held = await postOk(t, author, c.id);
    const removed = await t.inject({
      method: 'DELETE',
      url: `/api/comments/${held.id}`,
      cookie: author.cookie,
    });
    expect(removed.statusCode).toBe(200);
    expect(await publicEventTypes(c.id)).toEqual([]);
  });
});

describe('approval and refusal of held comments', () => {
  it('publishes an approved comment live, counted, and tells its author', async () => {
    const c = await openConsultation(t, admin.cookie, { premoderated: true });
    const proposal = await postOk(t, moderator, c.id, { body: 'Предложение на общината' });
    const author = await signUp(t);
    const anonymousTab = await connect(t);
    await anonymousTab.subscribe([`consultation:${c.id}`]);
    const dashboard = await connect(t, { cookie: moderator.cookie });
    await dashboard.subscribe([moderationQueueTopic]);

    const held = await postOk(t, author, c.id, {
      body: 'Отговор, който чака',
      parentId: proposal.id,
    });
    await until(
      () =>
        dashboard
          .events(moderationQueueTopic)
          .some((event) => JSON.stringify(event.payload).includes(held.id)),
      'the held comment on the dashboard',
    );
    const item = (await itemRowOf(t, held.id))!;
    const approved = await decideOk(t, moderator, item.id, { action: 'approve' });
    expect(approved).toMatchObject({
      status: 'resolved',
      decision: 'approved',
      comment: { moderation: { state: 'visible' } },
    });
    await until(
      () => anonymousTab.events().some((e) => JSON.stringify(e.payload).includes(held.id)),
      'the approved comment in the thread',
    );
    const created = anonymousTab
      .events()
      .map((e) => consultationLiveEventSchema.parse(e.payload))
      .filter((e) => e.type === 'comment_created');
    // The only comment the thread heard of is the approved one (the moderator's came before).
    expect(created).toMatchObject([
      {
        comment: {
          id: held.id,
          body: 'Отговор, който чака',
          moderation: { state: 'visible', holdReason: null },
        },
      },
    ]);
    const list = await threadOf(t, c.id);
    expect(commentsOf(list).get(proposal.id)).toMatchObject({ replyCount: 1 });
    expect(commentsOf(list).get(held.id)).toMatchObject({ body: 'Отговор, който чака' });
    expect(await statsOf(c.id)).toMatchObject({ proposalCount: 1, participantCount: 2 });
    const follows = await t.app.db
      .select()
      .from(consultationFollows)
      .where(
        and(
          eq(consultationFollows.userId, author.id),
          eq(consultationFollows.consultationId, c.id),
        ),
      );
    expect(follows).toHaveLength(1);
    const notices = await t.app.db
      .select({ kind: userNotices.kind })
      .from(userNotices)
      .where(eq(userNotices.commentId, held.id));
    expect(notices.map((n) => n.kind)).toEqual(['comment_held', 'comment_approved']);
    anonymousTab.socket.close();
    dashboard.socket.close();
  });

  it('keeps a held comment a moderator hides out of the thread; restoring publishes it', async () => {
    const c = await openConsultation(t, admin.cookie, { premoderated: true });
    const author = await signUp(t);
    const held = await postOk(t, author, c.id, { body: 'Обидно' });
    const item = (await itemRowOf(t, held.id))!;
    const hidden = await decideOk(t, moderator, item.id, {
      action: 'hide',
      reasonCode: 'offensive',
      reasonText: 'лични нападки',
    });
    expect(hidden.comment.moderation).toEqual({
      state: 'hidden',
      reasonCode: 'offensive',
      reasonText: 'лични нападки',
      holdReason: null,
    });
    expect(await publicEventTypes(c.id)).toEqual([]);
    expect((await threadOf(t, c.id)).items).toEqual([]);
    expect(await statsOf(c.id)).toMatchObject({ proposalCount: 0, participantCount: 0 });
    // Its author sees the decision on it, with the text.
    expect(commentsOf(await threadOf(t, c.id, author)).get(held.id)).toMatchObject({
      body: 'Обидно',
      editableUntil: null,
      moderation: { state: 'hidden', reasonCode: 'offensive', reasonText: 'лични нападки' },
    });
    const edit = await t.inject({
      method: 'PATCH',
      url: `/api/comments/${held.id}`,
      cookie: author.cookie,
      payload: { body: 'Поправено' },
    });
    expect(edit.statusCode).toBe(409);
    expect(errorOf(edit).code).toBe('comment_hidden');

    const restored = await decideOk(t, moderator, item.id, { action: 'restore' });
    expect(restored.comment.moderation.state).toBe('visible');
    expect(await publicEventTypes(c.id)).toEqual(['comment_created']);
    expect((await threadOf(t, c.id)).items.map((x) => x.id)).toEqual([held.id]);
    expect(await statsOf(c.id)).toMatchObject({ proposalCount: 1, participantCount: 1 });
  });
});

describe('settings an admin saves', () => {
  const saveSettings = (on: TestApp, words: string[]) =>
    on.inject({
      method: 'PUT',
      url: '/api/moderation/settings',
      cookie: admin.cookie,
      payload: { ...neutral, wordsBg: words },
    });

  it('hold the next comment at once, though the settings were read for an earlier one', async () => {
    const c = await openConsultation(t, admin.cookie);
    const author = await signUp(t);
    await ageAccount(t, author);
    expect((await postOk(t, author, c.id, { body: 'Преди: мошеник' })).moderation.state).toBe(
      'visible',
    );
    expect((await saveSettings(t, ['мошеник'])).statusCode).toBe(200);
    const after = await postOk(t, author, c.id, { body: 'След: мошеник' });
    expect(after.moderation).toMatchObject({ state: 'held', holdReason: 'word_list' });
  });

  describe.runIf(process.env.DATABASE_URL)('on another instance (PostgreSQL)', () => {
    let other: TestApp;
    beforeAll(async () => {
      other = await secondInstance(t);
    });
    afterAll(async () => {
      await other.close();
    });

    it('hold comments posted there once its live hub has seen the change', async () => {
      const c = await openConsultation(t, admin.cookie);
      const author = await signUp(t);
      await ageAccount(t, author);
      const before = await postOk(other, author, c.id, { body: 'Там преди: мошеник' });
      expect(before.moderation.state).toBe('visible');
      const dashboard = await connect(other, { cookie: moderator.cookie });
      await dashboard.subscribe([moderationQueueTopic]);
      expect((await saveSettings(t, ['мошеник'])).statusCode).toBe(200);
      await until(
        () =>
          dashboard
            .events(moderationQueueTopic)
            .some(
              (event) => moderationLiveEventSchema.parse(event.payload).type === 'settings_changed',
            ),
        'settings_changed on the other instance',
      );
      const after = await postOk(other, author, c.id, { body: 'Там след: мошеник' });
      expect(after.moderation).toMatchObject({ state: 'held', holdReason: 'word_list' });
      await dashboard.close();
    });
  });
});
