import {
  consultationLiveEventSchema,
  moderationBulkResultSchema,
  moderationItemDetailSchema,
  moderationLiveEventSchema,
  moderationQueueTopic,
  type Consultation,
} from '@sabor/contracts';
import {
  auditLog,
  comments,
  liveEvents,
  moderationDecisionLog,
  moderationReports,
  userNotices,
} from '@sabor/db';
import { and, asc, desc, eq, gt, isNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openConsultation, connect, until } from '../../../test/fixtures';
import {
  buildTestApp,
  relaxedModeration,
  setModerationSettings,
  signUp,
  type TestApp,
} from '../../../test/helper';
import { latestEventId } from '../../live/outbox';
import { sequenceLiveEvents } from '../../live/sequencer';
import {
  commentsOf,
  decide,
  decideOk,
  errorOf,
  eventsOn,
  itemRowOf,
  postOk,
  queueOf,
  report,
  threadOf,
  type Person,
} from './test-support';

let t: TestApp;
let admin: Person;
let moderator: Person;
let otherModerator: Person;
let author: Person;
let resident: Person;
let open: Consultation;

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  // Auto-hide only where a test asks for it.
  await setModerationSettings(t, { ...relaxedModeration, autoHideReports: 100 });
  admin = await signUp(t, { role: 'admin', displayName: 'Админ Админов' });
  moderator = await signUp(t, { role: 'moderator', displayName: 'Мода Модова' });
  otherModerator = await signUp(t, { role: 'moderator' });
  author = await signUp(t, { displayName: 'Автор Авторов' });
  resident = await signUp(t);
  open = await openConsultation(t, admin.cookie);
});
afterAll(async () => {
  await t.close();
});

/** A comment by `author` in the queue with `reports` reports (spam unless given). */
async function reported(
  body = 'Спорно',
  reasons: string[] = ['spam'],
  consultationId = open.id,
): Promise<{ commentId: string; itemId: string }> {
  const comment = await postOk(t, author, consultationId, { body });
  for (const reason of reasons) {
    const who = await signUp(t);
    const response = await report(t, who, comment.id, {
      reason,
      ...(reason === 'other' && { details: 'друго' }),
    });
    expect(response.statusCode).toBe(201);
  }
  return { commentId: comment.id, itemId: (await itemRowOf(t, comment.id))!.id };
}

async function commentRow(id: string) {
  const [row] = await t.app.db.select().from(comments).where(eq(comments.id, id));
  return row!;
}

async function openReports(itemId: string) {
  return t.app.db
    .select()
    .from(moderationReports)
    .where(and(eq(moderationReports.itemId, itemId), isNull(moderationReports.dismissedAt)));
}

async function publicEvents(consultationId = open.id) {
  return (await eventsOn(t, `consultation:${consultationId}`)).map((event) =>
    consultationLiveEventSchema.parse(event),
  );
}

describe('who may moderate', () => {
  it('answers anonymous 401, residents 403, moderators and admins on every route', async () => {
    const { commentId, itemId } = await reported();
    const settings = {
      autoHideReports: 100,
      newAccountHours: 24,
      newAccountHeldComments: 0,
      newAccountPerMinute: 0,
      newAccountPerDay: 0,
      holdLinksFromNewAccounts: false,
      wordsBg: [],
      wordsEn: [],
    };
    const routes = [
      { method: 'GET', url: '/api/moderation/items', staff: 'moderator' },
      { method: 'GET', url: `/api/moderation/items/${itemId}`, staff: 'moderator' },
      {
        method: 'POST',
        url: `/api/moderation/items/${itemId}/decision`,
        payload: { action: 'review' },
        staff: 'moderator',
      },
      {
        method: 'POST',
        url: '/api/moderation/items/bulk',
        payload: { itemIds: [itemId], decision: { action: 'review' } },
        staff: 'moderator',
      },
      { method: 'GET', url: '/api/moderation/settings', staff: 'admin' },
      { method: 'PUT', url: '/api/moderation/settings', payload: settings, staff: 'admin' },
    ] as const;
    for (const route of routes) {
      const send = (who?: Person) =>
        t.inject({
          method: route.method,
          url: route.url,
          cookie: who?.cookie,
          ...('payload' in route && { payload: route.payload }),
        });
      const name = `${route.method} ${route.url}`;
      expect((await send()).statusCode, name).toBe(401);
      expect((await send(resident)).statusCode, name).toBe(403);
      expect((await send(moderator)).statusCode, name).toBe(route.staff === 'admin' ? 403 : 200);
      if (route.method === 'GET' || route.method === 'PUT') {
        expect((await send(admin)).statusCode, name).toBe(200);
      }
    }
    // Admins decide too (the moderator reviewed the item above; a new report brings it back).
    expect((await report(t, await signUp(t), commentId)).statusCode).toBe(201);
    expect((await decide(t, admin, itemId, { action: 'review' })).statusCode).toBe(200);
  });

  it('follows the queue live for staff only', async () => {
    const residentTab = await connect(t, { cookie: resident.cookie });
    residentTab.send({ type: 'subscribe', topics: [moderationQueueTopic], lastEventId: null });
    const refusal = await residentTab.nth('error', 1);
    expect(refusal).toMatchObject({ code: 'forbidden_topic' });
    const anonymousTab = await connect(t);
    anonymousTab.send({ type: 'subscribe', topics: [moderationQueueTopic], lastEventId: null });
    expect(await anonymousTab.nth('error', 1)).toMatchObject({ code: 'forbidden_topic' });
    residentTab.socket.close();
    anonymousTab.socket.close();
  });
});

describe('the queue', () => {
  let c: Consultation;
  let items: Record<string, string>;
  beforeAll(async () => {
    c = await openConsultation(t, admin.cookie);
    const once = await reported('Един сигнал', ['spam'], c.id);
    const thrice = await reported('Три сигнала', ['offensive', 'offensive', 'spam'], c.id);
    const twice = await reported('Два сигнала', ['off_topic', 'other'], c.id);
    items = { once: once.itemId, thrice: thrice.itemId, twice: twice.itemId };
  });

  it('lists pending items newest first or most reported first, with their reports by reason', async () => {
    const newest = await queueOf(t, moderator, `consultationId=${c.id}`);
    expect(newest.items.map((item) => item.id)).toEqual([items.twice, items.thrice, items.once]);
    expect(newest).toMatchObject({ page: 1, pageSize: 25, total: 3 });
    const mostReported = await queueOf(t, moderator, `consultationId=${c.id}&order=most_reported`);
    expect(mostReported.items.map((item) => item.id)).toEqual([
      items.thrice,
      items.twice,
      items.once,
    ]);
    expect(mostReported.items[0]).toMatchObject({
      subjectType: 'comment',
      status: 'pending',
      cause: 'reported',
      reportCount: 3,
      reportReasons: { offensive: 2, spam: 1 },
      comment: {
        body: 'Три сигнала',
        consultationId: c.id,
        consultationTitle: 'Наредба за обществения ред',
        moderation: { state: 'visible' },
      },
      author: { id: author.id, displayName: 'Автор Авторов', suspended: false },
      decision: null,
      decidedBy: null,
    });
    const english = await t.inject({
      method: 'GET',
      url: `/api/moderation/items?consultationId=${c.id}`,
      cookie: moderator.cookie,
      headers: { cookie: `${moderator.cookie}; sabor_locale=en` },
    });
    expect(english.json()).toMatchObject({
      items: [{ comment: { consultationTitle: 'Public order ordinance' } }, {}, {}],
    });
  });

  it('filters by report reason and cause, and pages', async () => {
    const offensive = await queueOf(t, moderator, `consultationId=${c.id}&reason=offensive`);
    expect(offensive.items.map((item) => item.id)).toEqual([items.thrice]);
    const spam = await queueOf(t, moderator, `consultationId=${c.id}&reason=spam`);
    expect(spam.items.map((item) => item.id).sort()).toEqual([items.once, items.thrice].sort());
    expect(spam.total).toBe(2);
    const held = await queueOf(t, moderator, `consultationId=${c.id}&cause=held`);
    expect(held).toMatchObject({ items: [], total: 0 });
    const second = await queueOf(t, moderator, `consultationId=${c.id}&pageSize=2&page=2`);
    expect(second).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(second.items.map((item) => item.id)).toEqual([items.once]);
  });

  it('gives a bookmark taken before the page', async () => {
    const before = await latestEventId(t.app.db);
    const page = await queueOf(t, moderator, `consultationId=${c.id}`);
    expect(page.lastEventId).toBe(before);
    // An item changing after the read is announced after the bookmark.
    const { itemId } = await reported('След страницата', ['spam'], c.id);
    // Numbered once committed (live/sequencer.ts), as the hub does when the bus signals.
    await sequenceLiveEvents(t.app.db);
    const [event] = await t.app.db
      .select()
      .from(liveEvents)
      .where(
        and(eq(liveEvents.topic, moderationQueueTopic), gt(liveEvents.position, page.lastEventId)),
      );
    expect(JSON.stringify(event!.payload)).toContain(itemId);
    await decideOk(t, moderator, itemId, { action: 'review' });
  });

  it('refuses unknown filters and out-of-range paging', async () => {
    for (const query of [
      'order=oldest',
      'status=open',
      'cause=spam',
      'reason=boring',
      'consultationId=x',
      'page=0',
      'pageSize=101',
      'sort=newest',
    ]) {
      const response = await t.inject({
        method: 'GET',
        url: `/api/moderation/items?${query}`,
        cookie: moderator.cookie,
      });
      expect(response.statusCode, query).toBe(400);
    }
  });

  it('shows an item in context: parent, replies, reports with reporters, author history', async () => {
    const proposal = await postOk(t, resident, c.id, { body: 'Предложение' });
    const reply = await postOk(t, author, c.id, { body: 'Груб отговор', parentId: proposal.id });
    const answer = await postOk(t, resident, c.id, {
      body: 'Отговор на отговора',
      parentId: reply.id,
    });
    const reporter = await signUp(t, { displayName: 'Сигнализиращ' });
    await report(t, reporter, reply.id, { reason: 'other', details: 'обижда' });
    const itemId = (await itemRowOf(t, reply.id))!.id;
    const response = await t.inject({
      method: 'GET',
      url: `/api/moderation/items/${itemId}`,
      cookie: moderator.cookie,
    });
    expect(response.statusCode).toBe(200);
    const detail = moderationItemDetailSchema.parse(response.json());
    expect(detail).toMatchObject({
      id: itemId,
      comment: { id: reply.id, body: 'Груб отговор', parentId: proposal.id, depth: 1 },
      parent: { id: proposal.id, body: 'Предложение' },
      replies: [{ id: answer.id, body: 'Отговор на отговора' }],
      reports: [
        {
          reason: 'other',
          details: 'обижда',
          reporter: { id: reporter.id, displayName: 'Сигнализиращ' },
          dismissed: false,
        },
      ],
      authorHistory: { id: author.id, displayName: 'Автор Авторов', role: 'resident' },
    });
    const unknown = await t.inject({
      method: 'GET',
      url: '/api/moderation/items/00000000-0000-4000-8000-000000000000',
      cookie: moderator.cookie,
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('decisions', () => {
  it('approves: reports dismissed, logged, audited and announced to the queue', async () => {
    const { commentId, itemId } = await reported('Добре е', ['spam', 'offensive']);
    const before = await itemRowOf(t, commentId);
    const item = await decideOk(t, moderator, itemId, { action: 'approve' });
    expect(item).toMatchObject({
      status: 'resolved',
      decision: 'approved',
      decidedBy: { id: moderator.id, displayName: 'Мода Модова' },
      reportCount: 0,
      reportReasons: {},
      comment: { moderation: { state: 'visible' } },
    });
    expect(await openReports(itemId)).toEqual([]);
    const [logged] = await t.app.db
      .select()
      .from(moderationDecisionLog)
      .where(eq(moderationDecisionLog.itemId, itemId));
    expect(logged).toMatchObject({
      decision: 'approved',
      moderatorId: moderator.id,
      authorId: author.id,
      enteredAt: before!.enteredAt,
    });
    const audit = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, commentId), eq(auditLog.action, 'moderation.approved')));
    expect(audit).toMatchObject([{ actorId: moderator.id, targetType: 'comment', reason: null }]);
    const queueEvents = (await eventsOn(t, moderationQueueTopic)).map((event) =>
      moderationLiveEventSchema.parse(event),
    );
    expect(queueEvents.at(-1)).toMatchObject({
      type: 'item_changed',
      item: { id: itemId, status: 'resolved', decision: 'approved' },
    });
    // Nothing changed for the thread or the author: the comment was visible all along.
    expect((await publicEvents()).at(-1)).not.toMatchObject({ id: commentId });
    const notices = await t.app.db
      .select()
      .from(userNotices)
      .where(eq(userNotices.commentId, commentId));
    expect(notices).toEqual([]);
  });

  it('hides with a public reason: the thread hears it, the author is told, the text is kept', async () => {
    const { commentId, itemId } = await reported('Лични данни: ЕГН 0000000000');
    const item = await decideOk(t, moderator, itemId, {
      action: 'hide',
      reasonCode: 'personal_data',
      reasonText: 'съдържа ЕГН',
    });
    expect(item).toMatchObject({
      status: 'resolved',
      decision: 'hidden',
      // The reports stand: the moderator agreed with them.
      reportCount: 1,
      comment: {
        body: 'Лични данни: ЕГН 0000000000',
        moderation: { state: 'hidden', reasonCode: 'personal_data', reasonText: 'съдържа ЕГН' },
      },
    });
    expect((await publicEvents()).at(-1)).toEqual({
      type: 'comment_hidden',
      id: commentId,
      moderation: {
        state: 'hidden',
        reasonCode: 'personal_data',
        reasonText: 'съдържа ЕГН',
        holdReason: null,
      },
    });
    expect(commentsOf(await threadOf(t, open.id)).get(commentId)).toMatchObject({
      body: '',
      bodyHtml: '',
      moderation: { state: 'hidden', reasonCode: 'personal_data', reasonText: 'съдържа ЕГН' },
    });
    expect(commentsOf(await threadOf(t, open.id, author)).get(commentId)).toMatchObject({
      body: 'Лични данни: ЕГН 0000000000',
      editableUntil: null,
    });
    const row = await commentRow(commentId);
    expect(row.body).toBe('Лични данни: ЕГН 0000000000');
    expect(row.moderatedAt).not.toBeNull();
    const notices = await t.app.db
      .select()
      .from(userNotices)
      .where(eq(userNotices.commentId, commentId));
    expect(notices).toMatchObject([
      { kind: 'comment_hidden', reasonCode: 'personal_data', reasonText: 'съдържа ЕГН' },
    ]);
    const [audit] = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, commentId), eq(auditLog.action, 'moderation.hidden')));
    expect(audit).toMatchObject({ reason: 'personal_data: съдържа ЕГН' });

    for (const [method, url, payload] of [
      ['PATCH', `/api/comments/${commentId}`, { body: 'Поправено' }],
      ['PUT', `/api/comments/${commentId}/support`, undefined],
    ] as const) {
      const response = await t.inject({
        method,
        url,
        cookie: (method === 'PATCH' ? author : resident).cookie,
        ...(payload && { payload }),
      });
      expect(response.statusCode, method).toBe(409);
      expect(errorOf(response).code).toBe('comment_hidden');
    }
  });

  it('restores a hidden comment (also from a resolved item), and only a hidden one', async () => {
    const { commentId, itemId } = await reported('Всъщност е наред');
    await decideOk(t, moderator, itemId, { action: 'hide', reasonCode: 'spam' });
    const restored = await decideOk(t, otherModerator, itemId, { action: 'restore' });
    expect(restored).toMatchObject({
      status: 'resolved',
      decision: 'restored',
      reportCount: 0,
      comment: { moderation: { state: 'visible', reasonCode: null, reasonText: null } },
    });
    expect((await publicEvents()).at(-1)).toMatchObject({
      type: 'comment_restored',
      comment: { id: commentId, body: 'Всъщност е наред', moderation: { state: 'visible' } },
    });
    expect(commentsOf(await threadOf(t, open.id)).get(commentId)!.body).toBe('Всъщност е наред');
    const notices = await t.app.db
      .select({ kind: userNotices.kind })
      .from(userNotices)
      .where(eq(userNotices.commentId, commentId))
      .orderBy(asc(userNotices.createdAt));
    expect(notices.map((n) => n.kind)).toEqual(['comment_hidden', 'comment_restored']);

    const again = await decide(t, moderator, itemId, { action: 'restore' });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('moderation_not_hidden');
  });

  it('approves an auto-hidden comment back into view', async () => {
    const c = await openConsultation(t, admin.cookie);
    await setModerationSettings(t, { autoHideReports: 2 });
    try {
      const { commentId, itemId } = await reported('Спорно, но законно', ['spam', 'spam'], c.id);
      expect((await commentRow(commentId)).moderationState).toBe('hidden');
      const item = await decideOk(t, moderator, itemId, { action: 'approve' });
      expect(item).toMatchObject({
        cause: 'auto_hidden',
        comment: { moderation: { state: 'visible' } },
      });
      expect(
        (await publicEvents(c.id)).map((e) => e.type).filter((x) => x !== 'state_changed'),
      ).toEqual(['comment_created', 'comment_hidden', 'comment_restored']);
    } finally {
      await setModerationSettings(t, { autoHideReports: 100 });
    }
  });

  it('marks reviewed: reports dismissed, the comment untouched', async () => {
    const { commentId, itemId } = await reported('Нищо нередно', ['off_topic', 'spam']);
    const item = await decideOk(t, moderator, itemId, { action: 'review' });
    expect(item).toMatchObject({ decision: 'reviewed', reportCount: 0 });
    expect(await openReports(itemId)).toEqual([]);
    expect((await commentRow(commentId)).moderationState).toBe('visible');
  });

  it('refuses to mark a held comment reviewed (it would wait for ever)', async () => {
    const c = await openConsultation(t, admin.cookie, { premoderated: true });
    const held = await postOk(t, author, c.id);
    const itemId = (await itemRowOf(t, held.id))!.id;
    const response = await decide(t, moderator, itemId, { action: 'review' });
    expect(response.statusCode).toBe(409);
    expect(errorOf(response).code).toBe('moderation_held_needs_decision');
    expect(await itemRowOf(t, held.id)).toMatchObject({ status: 'pending', decision: null });
  });

  it('lets one of two moderators deciding at once win; the other is told', async () => {
    for (const [first, second] of [
      [{ action: 'approve' }, { action: 'hide', reasonCode: 'spam' }],
      [
        { action: 'hide', reasonCode: 'offensive' },
        { action: 'hide', reasonCode: 'spam' },
      ],
      [{ action: 'review' }, { action: 'approve' }],
    ]) {
      const { itemId } = await reported();
      const responses = await Promise.all([
        decide(t, moderator, itemId, first),
        decide(t, otherModerator, itemId, second),
      ]);
      const statuses = responses.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 409]);
      const loser = responses.find((r) => r.statusCode === 409)!;
      expect(errorOf(loser).code).toBe('moderation_already_decided');
      const decisions = await t.app.db
        .select()
        .from(moderationDecisionLog)
        .where(eq(moderationDecisionLog.itemId, itemId));
      expect(decisions).toHaveLength(1);
    }
  });

  it('lets one of two simultaneous restores through; the other finds it visible', async () => {
    const { itemId } = await reported();
    await decideOk(t, moderator, itemId, { action: 'hide', reasonCode: 'spam' });
    const responses = await Promise.all([
      decide(t, moderator, itemId, { action: 'restore' }),
      decide(t, otherModerator, itemId, { action: 'restore' }),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(errorOf(responses.find((r) => r.statusCode === 409)!).code).toBe(
      'moderation_not_hidden',
    );
    const restores = await t.app.db
      .select()
      .from(moderationDecisionLog)
      .where(
        and(
          eq(moderationDecisionLog.itemId, itemId),
          eq(moderationDecisionLog.decision, 'restored'),
        ),
      );
    expect(restores).toHaveLength(1);
  });

  it('refuses malformed decisions and changes nothing', async () => {
    const { commentId, itemId } = await reported();
    const cases: [unknown, string][] = [
      [{ action: 'hide' }, 'reasonCode'],
      [{ action: 'hide', reasonCode: 'rude' }, 'reasonCode'],
      [{ action: 'hide', reasonCode: 'other' }, 'reasonText'],
      [{ action: 'hide', reasonCode: 'other', reasonText: '   ' }, 'reasonText'],
      [{ action: 'hide', reasonCode: 'spam', reasonText: 'я'.repeat(501) }, 'reasonText'],
      [{ action: 'hide', reasonCode: 'spam', reasonText: 'a\u0007b' }, 'reasonText'],
      [{ action: 'delete' }, 'action'],
      [{}, 'action'],
    ];
    for (const [body, field] of cases) {
      const response = await decide(t, moderator, itemId, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(errorOf(response).fields, JSON.stringify(body).slice(0, 60)).toHaveProperty(field);
    }
    const badId = await decide(t, moderator, 'not-a-uuid', { action: 'approve' });
    expect(badId.statusCode).toBe(400);
    const unknown = await decide(t, moderator, '00000000-0000-4000-8000-000000000000', {
      action: 'approve',
    });
    expect(unknown.statusCode).toBe(404);
    expect(await itemRowOf(t, commentId)).toMatchObject({ status: 'pending', decision: null });
  });

  it('stores a hostile reason as text; the public reads it as data, not markup', async () => {
    const { commentId, itemId } = await reported();
    const reasonText = "<script>alert(1)</script> '; drop table comments; --";
    await decideOk(t, moderator, itemId, { action: 'hide', reasonCode: 'other', reasonText });
    const shown = commentsOf(await threadOf(t, open.id)).get(commentId)!;
    expect(shown.moderation.reasonText).toBe(reasonText);
    expect(shown.bodyHtml).toBe('');
    expect((await commentRow(commentId)).moderationReasonText).toBe(reasonText);
  });

  it('shows the queue live: new items arrive and decided ones leave', async () => {
    const dashboard = await connect(t, { cookie: moderator.cookie });
    await dashboard.subscribe([moderationQueueTopic]);
    const { itemId } = await reported('На живо');
    const itemEvents = () =>
      dashboard
        .events(moderationQueueTopic)
        .map((event) => moderationLiveEventSchema.parse(event.payload))
        .flatMap((event) =>
          event.type === 'item_changed' && event.item.id === itemId ? [event.item] : [],
        );
    await until(() => itemEvents().length === 1, 'the new item');
    expect(itemEvents()[0]).toMatchObject({
      status: 'pending',
      comment: { body: 'На живо' },
    });
    await decideOk(t, otherModerator, itemId, { action: 'hide', reasonCode: 'spam' });
    await until(() => itemEvents().length === 2, 'the decided item');
    expect(itemEvents()[1]).toMatchObject({ status: 'resolved', decision: 'hidden' });
    dashboard.socket.close();
  });
});

describe('bulk decisions', () => {
  it('decides each item on its own and reports the ones it could not', async () => {
    const a = await reported('Първи');
    const b = await reported('Втори');
    const decided = await reported('Решен');
    await decideOk(t, otherModerator, decided.itemId, { action: 'review' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const response = await t.inject({
      method: 'POST',
      url: '/api/moderation/items/bulk',
      cookie: moderator.cookie,
      headers: { cookie: `${moderator.cookie}; sabor_locale=en` },
      payload: {
        itemIds: [a.itemId, decided.itemId, unknown, b.itemId],
        decision: { action: 'hide', reasonCode: 'spam' },
      },
    });
    expect(response.statusCode).toBe(200);
    const { results } = moderationBulkResultSchema.parse(response.json());
    expect(results).toMatchObject([
      { itemId: a.itemId, ok: true, item: { decision: 'hidden' } },
      {
        itemId: decided.itemId,
        ok: false,
        code: 'moderation_already_decided',
        message: 'Another moderator has already decided this item. Refresh the queue.',
      },
      { itemId: unknown, ok: false, code: 'not_found' },
      { itemId: b.itemId, ok: true, item: { decision: 'hidden' } },
    ]);
    for (const id of [a.commentId, b.commentId]) {
      expect((await commentRow(id)).moderationState).toBe('hidden');
    }
    expect((await commentRow(decided.commentId)).moderationState).toBe('visible');
  });

  it('refuses an empty list, over 100 items and malformed ids', async () => {
    const { commentId, itemId } = await reported();
    for (const itemIds of [[], Array.from({ length: 101 }, () => itemId), ['x']]) {
      const response = await t.inject({
        method: 'POST',
        url: '/api/moderation/items/bulk',
        cookie: moderator.cookie,
        payload: { itemIds, decision: { action: 'approve' } },
      });
      expect(response.statusCode).toBe(400);
    }
    expect(await itemRowOf(t, commentId)).toMatchObject({ status: 'pending' });
  });
});

describe('settings', () => {
  afterEach(async () => {
    await setModerationSettings(t, {
      ...relaxedModeration,
      autoHideReports: 100,
      wordsBg: [],
      wordsEn: [],
    });
  });
  const valid = {
    autoHideReports: 4,
    newAccountHours: 48,
    newAccountHeldComments: 2,
    newAccountPerMinute: 5,
    newAccountPerDay: 40,
    holdLinksFromNewAccounts: true,
    wordsBg: ['измама', 'купи сега'],
    wordsEn: ['scam'],
  };

  it('lets an admin read and change them, audited with before and after', async () => {
    const before = (
      await t.inject({ method: 'GET', url: '/api/moderation/settings', cookie: admin.cookie })
    ).json() as Record<string, unknown>;
    const saved = await t.inject({
      method: 'PUT',
      url: '/api/moderation/settings',
      cookie: admin.cookie,
      payload: valid,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual(valid);
    const read = await t.inject({
      method: 'GET',
      url: '/api/moderation/settings',
      cookie: admin.cookie,
    });
    expect(read.json()).toEqual(valid);
    const [audit] = await t.app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'moderation.settings_changed'))
      .orderBy(desc(auditLog.createdAt))
      .limit(1);
    expect(audit).toMatchObject({
      actorId: admin.id,
      targetType: 'moderation_settings',
      details: { before, after: valid },
    });
  });

  it('refuses out-of-range numbers, long or broken words and missing fields', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, autoHideReports: 0 }, 'autoHideReports'],
      [{ ...valid, newAccountHours: -1 }, 'newAccountHours'],
      [{ ...valid, newAccountPerMinute: 1.5 }, 'newAccountPerMinute'],
      [{ ...valid, wordsBg: ['д'.repeat(65)] }, 'wordsBg.0'],
      [{ ...valid, wordsBg: ['ред\nдва'] }, 'wordsBg.0'],
      [{ ...valid, wordsEn: [''] }, 'wordsEn.0'],
      [{ ...valid, wordsEn: Array.from({ length: 501 }, (_, i) => `w${i}`) }, 'wordsEn'],
      [{ ...valid, holdLinksFromNewAccounts: 'yes' }, 'holdLinksFromNewAccounts'],
      [{ autoHideReports: 3 }, 'newAccountHours'],
    ];
    const before = (
      await t.inject({ method: 'GET', url: '/api/moderation/settings', cookie: admin.cookie })
    ).json() as unknown;
    for (const [payload, field] of cases) {
      const response = await t.inject({
        method: 'PUT',
        url: '/api/moderation/settings',
        cookie: admin.cookie,
        payload,
      });
      expect(response.statusCode, field).toBe(400);
      expect(errorOf(response).fields, field).toHaveProperty([field]);
    }
    const after = await t.inject({
      method: 'GET',
      url: '/api/moderation/settings',
      cookie: admin.cookie,
    });
    expect(after.json()).toEqual(before);
  });
});

describe('the author’s view of decisions', () => {
  it('lists its own items’ decisions in the author history', async () => {
    const { itemId } = await reported('За историята');
    await decideOk(t, moderator, itemId, { action: 'hide', reasonCode: 'off_topic' });
    const response = await t.inject({
      method: 'GET',
      url: `/api/moderation/items/${itemId}`,
      cookie: admin.cookie,
    });
    const detail = moderationItemDetailSchema.parse(response.json());
    expect(detail.authorHistory.decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          itemId,
          decision: 'hidden',
          reasonCode: 'off_topic',
          moderator: { id: moderator.id, displayName: 'Мода Модова' },
        }) as unknown,
      ]),
    );
  });
});
