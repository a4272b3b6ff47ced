import {
  consultationLiveEventSchema,
  moderationItemDetailSchema,
  moderationLiveEventSchema,
  moderationQueueTopic,
  reportReceiptSchema,
  type Consultation,
} from '@sabor/contracts';
import { moderationItems, moderationReports, userNotices } from '@sabor/db';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeConsultation, openConsultation } from '../../../test/fixtures';
import {
  buildTestApp,
  relaxedModeration,
  setModerationSettings,
  signUp,
  type TestApp,
} from '../../../test/helper';
import {
  commentsOf,
  decideOk,
  errorOf,
  eventsOn,
  itemRowOf,
  postOk,
  report,
  threadOf,
  type Person,
} from './test-support';

let t: TestApp;
let admin: Person;
let moderator: Person;
let author: Person;
let open: Consultation;

beforeAll(async () => {
  t = await buildTestApp();
  await setModerationSettings(t, { ...relaxedModeration, autoHideReports: 3 });
  admin = await signUp(t, { role: 'admin' });
  moderator = await signUp(t, { role: 'moderator' });
  author = await signUp(t, { displayName: 'Автор Авторов' });
  open = await openConsultation(t, admin.cookie);
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await setModerationSettings(t, { autoHideReports: 3 });
});

async function reportCountOf(commentId: string): Promise<number> {
  const item = await itemRowOf(t, commentId);
  if (!item) return 0;
  const [row] = await t.app.db
    .select({ value: count() })
    .from(moderationReports)
    .where(eq(moderationReports.itemId, item.id));
  return row?.value ?? 0;
}

async function residents(n: number): Promise<Person[]> {
  return Promise.all(Array.from({ length: n }, () => signUp(t)));
}

async function detailOf(itemId: string) {
  const response = await t.inject({
    method: 'GET',
    url: `/api/moderation/items/${itemId}`,
    cookie: moderator.cookie,
  });
  expect(response.statusCode).toBe(200);
  return moderationItemDetailSchema.parse(response.json());
}

describe('reporting a comment', () => {
  it('needs a signed-in resident', async () => {
    const comment = await postOk(t, author, open.id);
    const response = await report(t, undefined, comment.id);
    expect(response.statusCode).toBe(401);
    expect(await reportCountOf(comment.id)).toBe(0);
  });

  it('receives the report, queues the comment and marks it reported for the reporter only', async () => {
    const comment = await postOk(t, author, open.id, { body: 'Купете от нас!' });
    const [reporter, other] = await residents(2);
    const response = await report(t, reporter, comment.id, { reason: 'spam' });
    expect(response.statusCode).toBe(201);
    const receipt = reportReceiptSchema.parse(response.json());
    expect(receipt.status).toBe('received');

    const mine = commentsOf(await threadOf(t, open.id, reporter)).get(comment.id);
    expect(mine).toMatchObject({ reportedByMe: true, moderation: { state: 'visible' } });
    expect(commentsOf(await threadOf(t, open.id, other)).get(comment.id)).toMatchObject({
      reportedByMe: false,
    });
    expect(commentsOf(await threadOf(t, open.id)).get(comment.id)).toMatchObject({
      reportedByMe: false,
    });

    const item = await itemRowOf(t, comment.id);
    expect(item).toMatchObject({
      status: 'pending',
      cause: 'reported',
      reportCount: 1,
      consultationId: open.id,
      authorId: author.id,
    });
    expect(item!.lastReportedAt).not.toBeNull();
    const events = (await eventsOn(t, moderationQueueTopic)).map((event) =>
      moderationLiveEventSchema.parse(event),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'item_changed',
      item: { id: item!.id, reportCount: 1, reportReasons: { spam: 1 }, cause: 'reported' },
    });
  });

  it('takes one report per resident per comment, also when submitted twice at once', async () => {
    const comment = await postOk(t, author, open.id);
    const [reporter, racer] = await residents(2);
    expect((await report(t, reporter, comment.id)).statusCode).toBe(201);
    const again = await report(t, reporter, comment.id, { reason: 'offensive' });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('already_reported');

    const both = await Promise.all([
      report(t, racer, comment.id, { reason: 'spam' }),
      report(t, racer, comment.id, { reason: 'off_topic' }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await reportCountOf(comment.id)).toBe(2);
    expect((await itemRowOf(t, comment.id))!.reportCount).toBe(2);
  });

  it('replays a retried report with the same Idempotency-Key instead of refusing it', async () => {
    const comment = await postOk(t, author, open.id);
    const [reporter] = await residents(1);
    const key = crypto.randomUUID();
    const first = await report(
      t,
      reporter!,
      comment.id,
      { reason: 'spam' },
      { 'idempotency-key': key },
    );
    const retry = await report(
      t,
      reporter!,
      comment.id,
      { reason: 'spam' },
      { 'idempotency-key': key },
    );
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await reportCountOf(comment.id)).toBe(1);
  });

  it('refuses a report of one’s own comment, a deleted one and an unknown one', async () => {
    const own = await postOk(t, author, open.id);
    const refused = await report(t, author, own.id);
    expect(refused.statusCode).toBe(403);
    expect(errorOf(refused).code).toBe('cannot_report_own_comment');

    const deleted = await postOk(t, author, open.id);
    await t.inject({ method: 'DELETE', url: `/api/comments/${deleted.id}`, cookie: author.cookie });
    const [reporter] = await residents(1);
    const gone = await report(t, reporter, deleted.id);
    expect(gone.statusCode).toBe(409);
    expect(errorOf(gone).code).toBe('comment_deleted');

    const unknown = await report(t, reporter, '00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(await itemRowOf(t, own.id)).toBeUndefined();
    expect(await itemRowOf(t, deleted.id)).toBeUndefined();
  });

  it('takes reports while the consultation is closed', async () => {
    const c = await openConsultation(t, admin.cookie);
    const comment = await postOk(t, author, c.id);
    await closeConsultation(t, admin.cookie, c.id);
    const [reporter] = await residents(1);
    expect((await report(t, reporter, comment.id, { reason: 'misinformation' })).statusCode).toBe(
      201,
    );
  });

  it('refuses malformed, oversized and incomplete reports and writes nothing', async () => {
    const comment = await postOk(t, author, open.id);
    const [reporter] = await residents(1);
    const cases: [unknown, string, string][] = [
      [{ reason: 'other' }, 'details', 'required'],
      [{ reason: 'other', details: '   ' }, 'details', 'required'],
      [{ reason: 'boring' }, 'reason', 'invalid'],
      [{}, 'reason', 'invalid'],
      [{ reason: 'spam', details: 'я'.repeat(1001) }, 'details', 'too_long'],
      [{ reason: 'spam', details: 'a\u0000b' }, 'details', 'control_characters'],
      [{ reason: 'spam', details: 42 }, 'details', 'invalid'],
    ];
    for (const [payload, field, code] of cases) {
      const response = await report(t, reporter, comment.id, payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 40)).toBe(400);
      expect(errorOf(response)).toMatchObject({
        code: 'validation_failed',
        fields: { [field]: { code } },
      });
    }
    const malformed = await t.inject({
      method: 'POST',
      url: `/api/comments/${comment.id}/reports`,
      cookie: reporter!.cookie,
      headers: { 'content-type': 'application/json' },
      payload: '{"reason": "spam"',
    });
    expect(malformed.statusCode).toBe(400);
    const huge = await t.inject({
      method: 'POST',
      url: `/api/comments/${comment.id}/reports`,
      cookie: reporter!.cookie,
      payload: { reason: 'other', details: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect([400, 413]).toContain(huge.statusCode);
    const badId = await report(t, reporter, 'not-a-uuid');
    expect(badId.statusCode).toBe(400);
    expect(await itemRowOf(t, comment.id)).toBeUndefined();
  });

  it('stores hostile details as written and hands them back as text', async () => {
    const comment = await postOk(t, author, open.id);
    const [reporter] = await residents(1);
    const details = `<script>alert(1)</script>'; drop table moderation_reports; --\n<img src=x onerror=alert(1)>`;
    expect((await report(t, reporter, comment.id, { reason: 'other', details })).statusCode).toBe(
      201,
    );
    const item = (await itemRowOf(t, comment.id))!;
    const detail = await detailOf(item.id);
    expect(detail.reports).toMatchObject([
      { reason: 'other', details, reporter: { id: reporter!.id }, dismissed: false },
    ]);
    const [stored] = await t.app.db
      .select()
      .from(moderationReports)
      .where(eq(moderationReports.itemId, item.id));
    expect(stored!.details).toBe(details);
  });
});

describe('auto-hide', () => {
  it('hides a comment when distinct residents’ open reports reach the threshold', async () => {
    const comment = await postOk(t, author, open.id, { body: 'Спорен текст' });
    const [first, second, third] = await residents(3);
    await report(t, first, comment.id, { reason: 'offensive' });
    await report(t, second, comment.id, { reason: 'offensive' });
    // The same resident again does not count twice.
    expect((await report(t, second, comment.id)).statusCode).toBe(409);
    expect((await itemRowOf(t, comment.id))!.cause).toBe('reported');
    expect(commentsOf(await threadOf(t, open.id)).get(comment.id)!.moderation.state).toBe(
      'visible',
    );

    expect((await report(t, third, comment.id, { reason: 'spam' })).statusCode).toBe(201);
    const publicView = commentsOf(await threadOf(t, open.id)).get(comment.id)!;
    expect(publicView).toMatchObject({
      body: '',
      bodyHtml: '',
      moderation: { state: 'hidden', reasonCode: null, reasonText: null, holdReason: null },
    });
    for (const who of [author, moderator]) {
      expect(commentsOf(await threadOf(t, open.id, who)).get(comment.id), who.email).toMatchObject({
        body: 'Спорен текст',
        moderation: { state: 'hidden' },
      });
    }
    expect(await itemRowOf(t, comment.id)).toMatchObject({
      status: 'pending',
      cause: 'auto_hidden',
      reportCount: 3,
    });
    const publicEvents = (await eventsOn(t, `consultation:${open.id}`)).map((event) =>
      consultationLiveEventSchema.parse(event),
    );
    expect(publicEvents.at(-1)).toEqual({
      type: 'comment_hidden',
      id: comment.id,
      moderation: { state: 'hidden', reasonCode: null, reasonText: null, holdReason: null },
    });
    const notices = await t.app.db
      .select()
      .from(userNotices)
      .where(eq(userNotices.commentId, comment.id));
    expect(notices).toMatchObject([{ kind: 'comment_hidden', reasonCode: null }]);
    // Hidden already: nothing more to report.
    const [late] = await residents(1);
    const refused = await report(t, late, comment.id);
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused).code).toBe('comment_hidden');
  });

  it('counts only reports no decision has dismissed', async () => {
    await setModerationSettings(t, { autoHideReports: 2 });
    const comment = await postOk(t, author, open.id);
    const [first, second, third] = await residents(3);
    await report(t, first, comment.id);
    const item = (await itemRowOf(t, comment.id))!;
    const reviewed = await decideOk(t, moderator, item.id, { action: 'review' });
    expect(reviewed).toMatchObject({ status: 'resolved', reportCount: 0, reportReasons: {} });

    await report(t, second, comment.id, { reason: 'off_topic' });
    const back = (await itemRowOf(t, comment.id))!;
    expect(back).toMatchObject({ status: 'pending', cause: 'reported', reportCount: 1 });
    // It entered the queue again now, not when it first did.
    expect(back.enteredAt.getTime()).toBeGreaterThan(item.enteredAt.getTime());
    expect(commentsOf(await threadOf(t, open.id)).get(comment.id)!.moderation.state).toBe(
      'visible',
    );

    await report(t, third, comment.id);
    expect(commentsOf(await threadOf(t, open.id)).get(comment.id)!.moderation.state).toBe('hidden');
    const detail = await detailOf(item.id);
    expect(detail.reports.map((r) => r.dismissed)).toEqual([true, false, false]);
    expect(detail.reportReasons).toEqual({ off_topic: 1, spam: 1 });
  });

  it('lets the auto-hide happen once when the last reports arrive together', async () => {
    await setModerationSettings(t, { autoHideReports: 2 });
    const comment = await postOk(t, author, open.id);
    const reporters = await residents(4);
    const responses = await Promise.all(reporters.map((who) => report(t, who, comment.id)));
    // The comment is hidden by the second report; later ones find it hidden.
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 201, 409, 409]);
    const hiddenEvents = (await eventsOn(t, `consultation:${open.id}`)).filter(
      (event) => event.type === 'comment_hidden' && JSON.stringify(event).includes(comment.id),
    );
    expect(hiddenEvents).toHaveLength(1);
    const [row] = await t.app.db
      .select({ reportCount: moderationItems.reportCount })
      .from(moderationItems)
      .where(eq(moderationItems.subjectId, comment.id));
    expect(row!.reportCount).toBe(2);
  });
});
