import type { AddressInfo } from 'node:net';
import {
  pdfsPerMinute,
  type Consultation,
  type ConsultationReport,
  type ConsultationReportPreview,
  type ProposalResponse,
  type ProposalResponseList,
} from '@sabor/contracts';
import {
  auditLog,
  comments,
  consultationReports,
  liveEvents,
  outboxMails,
  proposalResponses,
  users,
} from '@sabor/db';
import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { recountStats } from '../comments/repository';
import { decideOk, itemRowOf, report } from '../moderation/test-support';
import { closeConsultation, draftConsultation, openConsultation } from '../../../test/fixtures';
import {
  buildTestApp,
  origin,
  relaxedModeration,
  setModerationSettings,
  signUp,
  strandIdempotencyKey,
  type TestApp,
} from '../../../test/helper';

let t: TestApp;
let wsUrl: string;
let admin: Awaited<ReturnType<typeof signUp>>;
let moderator: Awaited<ReturnType<typeof signUp>>;
let resident: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  t = await buildTestApp();
  // Brand-new residents post many comments here: no rate limits or holds for new accounts.
  await setModerationSettings(t, relaxedModeration);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  wsUrl = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/ws`;
  admin = await signUp(t, { role: 'admin', displayName: 'Служител Общински' });
  moderator = await signUp(t, { role: 'moderator' });
  resident = await signUp(t, { displayName: 'Иван Петров' });
});
afterAll(async () => {
  await t.close();
});

const missingId = '00000000-0000-4000-8000-000000000000';

/** The id of a consultation that is open now, under the title the reports are checked for. */
async function openConsultationId(titleBg = 'Правилник за дейността на дирекция „УРЕИ“') {
  const c = await openConsultation(t, admin.cookie, {
    titleBg,
    titleEn: 'Rules of the SDEI directorate',
  });
  return c.id;
}

const close = (id: string) => closeConsultation(t, admin.cookie, id, 'Приключване на срока.');

type Person = Awaited<ReturnType<typeof signUp>>;

/** A proposal (or, with `parentId`, a reply) posted through the comment API while open. */
async function post(
  consultationId: string,
  who: Person,
  body: string,
  options: { stance?: 'for' | 'against' | 'neutral'; parentId?: string } = {},
): Promise<string> {
  const response = await t.inject({
    method: 'POST',
    url: `/api/consultations/${consultationId}/comments`,
    cookie: who.cookie,
    payload: options.parentId
      ? { body, parentId: options.parentId }
      : { body, stance: options.stance ?? 'for' },
  });
  if (response.statusCode !== 201) throw new Error(`comment failed: ${response.body}`);
  return (response.json() as { id: string }).id;
}

async function deleteComment(commentId: string, who: Person) {
  const response = await t.inject({
    method: 'DELETE',
    url: `/api/comments/${commentId}`,
    cookie: who.cookie,
  });
  expect(response.statusCode).toBe(200);
}

/**
 * A comment written straight into the table (the report reads what the comment API stores), for
 * the tests that need a fixed creation time or support count.
 */
async function comment(
  consultationId: string,
  authorId: string,
  body: string,
  options: {
    stance?: 'for' | 'against' | 'neutral';
    parent?: string;
    createdAt?: Date;
    supportCount?: number;
  } = {},
): Promise<string> {
  const id = crypto.randomUUID();
  await t.app.db.insert(comments).values({
    id,
    consultationId,
    parentId: options.parent ?? null,
    rootId: options.parent ?? id,
    depth: options.parent ? 1 : 0,
    authorId,
    stance: options.parent ? null : (options.stance ?? 'for'),
    body,
    versionNumber: 1,
    supportCount: options.supportCount ?? 0,
    ...(options.createdAt && { createdAt: options.createdAt }),
  });
  await recountStats(t.app.db, consultationId);
  return id;
}

function respond(commentId: string, payload: unknown, cookie = admin.cookie) {
  return t.inject({
    method: 'PUT',
    url: `/api/admin/comments/${commentId}/response`,
    cookie,
    payload: payload as Record<string, unknown>,
  });
}

function publishReport(id: string, payload: unknown = { summary: 'Обобщение.' }, key?: string) {
  return t.inject({
    method: 'POST',
    url: `/api/admin/consultations/${id}/report`,
    cookie: admin.cookie,
    payload: payload as Record<string, unknown>,
    ...(key && { headers: { 'idempotency-key': key } }),
  });
}

const get = (url: string, headers: Record<string, string> = {}) =>
  t.inject({ method: 'GET', url, headers });

describe('authorization', () => {
  const routes = [
    ['PUT', `/api/admin/comments/${missingId}/response`, { decision: 'received' }],
    ['GET', `/api/admin/consultations/${missingId}/report/preview`, undefined],
    ['POST', `/api/admin/consultations/${missingId}/report`, { summary: 'Обобщение' }],
  ] as const;

  it.each(routes)(
    '%s %s: 401 anonymous, 403 resident and moderator, admin reaches the rules',
    async (method, url, payload) => {
      expect((await t.inject({ method, url, payload })).statusCode).toBe(401);
      for (const who of [resident, moderator]) {
        const response = await t.inject({ method, url, payload, cookie: who.cookie });
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
      const asAdmin = await t.inject({ method, url, payload, cookie: admin.cookie });
      expect(asAdmin.statusCode).toBe(404);
    },
  );

  it('lets admins respond, preview and publish', async () => {
    const id = await openConsultationId();
    const proposal = await post(id, resident, 'Да се удължи работното време.');
    expect(
      (await respond(proposal, { decision: 'accepted', reason: 'Приема се.' })).statusCode,
    ).toBe(200);
    const preview = await t.inject({
      method: 'GET',
      url: `/api/admin/consultations/${id}/report/preview`,
      cookie: admin.cookie,
    });
    expect(preview.statusCode).toBe(200);
    await close(id);
    expect((await publishReport(id)).statusCode).toBe(201);
  });

  it('keeps the public report routes at 404 until the report is published', async () => {
    const id = await openConsultationId();
    await post(id, resident, 'Предложение');
    await close(id);
    for (const consultation of [id, missingId]) {
      for (const suffix of ['report', 'report.csv', 'report.pdf']) {
        for (const cookie of [undefined, resident.cookie, admin.cookie]) {
          const response = await t.inject({
            method: 'GET',
            url: `/api/consultations/${consultation}/${suffix}`,
            cookie,
          });
          expect(response.statusCode, suffix).toBe(404);
          expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
        }
      }
    }
    expect((await get('/api/consultations/not-a-uuid/report')).statusCode).toBe(400);
  });

  it('shows the responses of public consultations only', async () => {
    const draftId = (await draftConsultation(t, admin.cookie, { titleBg: 'Чернова' })).id;
    expect((await get(`/api/consultations/${draftId}/responses`)).statusCode).toBe(404);
    expect((await get(`/api/consultations/${missingId}/responses`)).statusCode).toBe(404);
    const openId = await openConsultationId();
    const list = await get(`/api/consultations/${openId}/responses`);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ items: [] });
  });
});

describe('official responses', () => {
  it('publishes a response, shows it publicly without the staff member, and lets staff change it', async () => {
    const id = await openConsultationId();
    const proposal = await post(id, resident, 'Повече пейки в парка.');
    const first = await respond(proposal, { decision: 'received' });
    expect(first.statusCode).toBe(200);
    const received = first.json() as ProposalResponse;
    expect(received).toMatchObject({ commentId: proposal, decision: 'received', reason: null });
    expect(received).not.toHaveProperty('respondedBy');

    const second = await respond(proposal, {
      decision: 'partly_accepted',
      reason: 'Ще се поставят 10 пейки.',
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({
      decision: 'partly_accepted',
      reason: 'Ще се поставят 10 пейки.',
      createdAt: received.createdAt,
    });

    const list = (await get(`/api/consultations/${id}/responses`)).json() as ProposalResponseList;
    expect(list.items).toEqual([second.json()]);

    const audit = await t.app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, proposal))
      .orderBy(auditLog.createdAt);
    expect(audit.map((entry) => entry.action)).toEqual([
      'proposal_response.published',
      'proposal_response.changed',
    ]);
    expect(audit[1]).toMatchObject({
      actorId: admin.id,
      reason: 'Ще се поставят 10 пейки.',
      details: { decision: 'partly_accepted', previousDecision: 'received' },
    });
  });

  it('requires a reason for accepted, partly accepted and not accepted', async () => {
    const id = await openConsultationId();
    const proposal = await post(id, resident, 'Предложение без мотиви.');
    for (const decision of ['accepted', 'partly_accepted', 'not_accepted']) {
      for (const payload of [
        { decision },
        { decision, reason: '' },
        { decision, reason: ' \n ' },
      ]) {
        const response = await respond(proposal, payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json()).toMatchObject({
          error: { code: 'validation_failed', fields: { reason: { code: 'required' } } },
        });
      }
    }
    const english = await t.inject({
      method: 'PUT',
      url: `/api/admin/comments/${proposal}/response`,
      cookie: `${admin.cookie}; sabor_locale=en`,
      payload: { decision: 'accepted' },
    });
    expect(english.json()).toMatchObject({
      error: {
        message: 'Some fields are not filled in correctly.',
        fields: { reason: { message: 'This field is required.' } },
      },
    });
    expect(
      await t.app.db
        .select()
        .from(proposalResponses)
        .where(eq(proposalResponses.commentId, proposal)),
    ).toEqual([]);
  });

  it('refuses bad input', async () => {
    const id = await openConsultationId();
    const proposal = await post(id, resident, 'Предложение');
    const cases = [
      [{ decision: 'approved', reason: 'x' }, 'decision'],
      [{ decision: 'accepted', reason: 'я'.repeat(2001) }, 'reason'],
      [{ decision: 'accepted', reason: 'a\u0000b' }, 'reason'],
      [{ decision: 'accepted', reason: 42 }, 'reason'],
      [{ reason: 'Без решение' }, 'decision'],
    ] as const;
    for (const [payload, field] of cases) {
      const response = await respond(proposal, payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(
        Object.keys((response.json() as { error: { fields: object } }).error.fields),
      ).toContain(field);
    }
    expect((await respond('not-a-uuid', { decision: 'received' })).statusCode).toBe(400);
    expect((await respond(missingId, { decision: 'received' })).statusCode).toBe(404);
  });

  it('stores a hostile reason exactly as written', async () => {
    const id = await openConsultationId();
    const proposal = await post(id, resident, 'Предложение');
    const reason =
      '<script>alert("x")</script>\n[връзка](javascript:alert(1)) "кавички", запетаи; \u202eобърнато';
    const response = await respond(proposal, { decision: 'not_accepted', reason });
    expect(response.statusCode).toBe(200);
    expect((response.json() as ProposalResponse).reason).toBe(reason);
    const [row] = await t.app.db
      .select()
      .from(proposalResponses)
      .where(eq(proposalResponses.commentId, proposal));
    expect(row).toMatchObject({ reason, decision: 'not_accepted', respondedBy: admin.id });
  });

  it('answers proposals only: not replies, not deleted proposals', async () => {
    const id = await openConsultationId();
    const proposal = await post(id, resident, 'Предложение');
    const reply = await post(id, admin, 'Отговор в дискусията', { parentId: proposal });
    const toReply = await respond(reply, { decision: 'received' });
    expect(toReply.statusCode).toBe(409);
    expect(toReply.json()).toMatchObject({ error: { code: 'response_not_on_proposal' } });

    const deleted = await post(id, resident, 'Ще го изтрия');
    await deleteComment(deleted, resident);
    const toDeleted = await respond(deleted, { decision: 'received' });
    expect(toDeleted.statusCode).toBe(409);
    expect(toDeleted.json()).toMatchObject({ error: { code: 'comment_deleted' } });
  });

  it('is allowed while open and closed, refused once the report is published', async () => {
    const id = await openConsultationId();
    const proposal = await post(id, resident, 'Предложение');
    expect((await respond(proposal, { decision: 'under_review' })).statusCode).toBe(200);
    await close(id);
    expect((await respond(proposal, { decision: 'accepted', reason: 'Да.' })).statusCode).toBe(200);
    expect((await publishReport(id)).statusCode).toBe(201);
    const after = await respond(proposal, { decision: 'not_accepted', reason: 'Не.' });
    expect(after.statusCode).toBe(409);
    expect(after.json()).toMatchObject({
      error: {
        code: 'report_already_published',
        message: expect.stringContaining('Справката') as string,
      },
    });
    const [row] = await t.app.db
      .select()
      .from(proposalResponses)
      .where(eq(proposalResponses.commentId, proposal));
    expect(row).toMatchObject({ decision: 'accepted', reason: 'Да.' });
  });

  it('reaches a live subscriber of the consultation', async () => {
    const id = await openConsultationId();
    const proposal = await post(id, resident, 'Предложение на живо');
    const socket = new WebSocket(wsUrl, { headers: { origin } });
    const received: { type: string; payload?: unknown; topic?: string }[] = [];
    const waiters: (() => void)[] = [];
    socket.on('message', (data: Buffer) => {
      received.push(JSON.parse(data.toString()) as (typeof received)[number]);
      waiters.splice(0).forEach((wake) => wake());
    });
    const until = async (predicate: (message: (typeof received)[number]) => boolean) => {
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    await until((m) => m.type === 'welcome');
    socket.send(
      JSON.stringify({ type: 'subscribe', topics: [`consultation:${id}`], lastEventId: null }),
    );
    await until((m) => m.type === 'subscribed');
    const response = (
      await respond(proposal, { decision: 'accepted', reason: 'Приема се изцяло.' })
    ).json() as ProposalResponse;
    // A subscription "from now" may still see the proposal's own comment_created first.
    const event = await until(
      (m) => m.type === 'event' && (m.payload as { type?: string }).type === 'response_published',
    );
    expect(event).toMatchObject({
      topic: `consultation:${id}`,
      payload: {
        type: 'response_published',
        commentId: proposal,
        decision: 'accepted',
        reason: 'Приема се изцяло.',
        updatedAt: response.updatedAt,
      },
    });
    socket.close();
  });
});

describe('mail to followers', () => {
  const subjectsTo = async (email: string) =>
    (await t.app.db.select().from(outboxMails).where(eq(outboxMails.to, email))).map(
      (mail) => mail.subject,
    );

  it('tells a following author about the response and every follower about the report', async () => {
    const id = await openConsultationId('Консултация с последователи');
    const author = await signUp(t, { displayName: 'Автор Последовател' });
    const watcher = await signUp(t, { displayName: 'Наблюдател' });
    for (const who of [author, watcher]) {
      await t.app.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, who.id));
      const follow = await t.inject({
        method: 'PUT',
        url: `/api/consultations/${id}/follow`,
        cookie: who.cookie,
      });
      expect(follow.statusCode).toBe(200);
    }
    const proposal = await post(id, author, 'Предложение на последовател');
    const before = await subjectsTo(author.email);
    expect((await respond(proposal, { decision: 'accepted', reason: 'Да.' })).statusCode).toBe(200);
    const afterResponse = await subjectsTo(author.email);
    expect(afterResponse).toHaveLength(before.length + 1);
    expect(afterResponse.filter((subject) => subject.startsWith('Отговор на вашето'))).toHaveLength(
      1,
    );
    expect((await subjectsTo(watcher.email)).join('\n')).not.toContain('Отговор на вашето');

    await close(id);
    const beforeReport = (await subjectsTo(watcher.email)).length;
    expect((await publishReport(id)).statusCode).toBe(201);
    const afterReport = await subjectsTo(watcher.email);
    expect(afterReport).toHaveLength(beforeReport + 1);
    expect(afterReport.filter((subject) => subject.includes('справката'))).toHaveLength(1);

    // A refused change queues nothing.
    const countBefore = (await subjectsTo(author.email)).length;
    expect((await respond(proposal, { decision: 'not_accepted', reason: 'Не.' })).statusCode).toBe(
      409,
    );
    expect(await subjectsTo(author.email)).toHaveLength(countBefore);
  });
});

describe('publishing the report', () => {
  it('is refused while the consultation is open', async () => {
    const id = await openConsultationId();
    const response = await publishReport(id);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'consultation_invalid_state' } });
  });

  it('leaves out proposals moderators hid and comments still held, counting the hidden', async () => {
    const id = await openConsultationId();
    const kept = await post(id, resident, 'Остава в справката');
    const hidden = await post(id, resident, 'Спам за скриване');
    await report(t, moderator, hidden, { reason: 'spam' });
    const item = await itemRowOf(t, hidden);
    await decideOk(t, moderator, item!.id, { action: 'hide', reasonCode: 'spam' });
    await setModerationSettings(t, { ...relaxedModeration, wordsBg: ['задържи'] });
    const held = await post(id, resident, 'Моля задържи това');
    await setModerationSettings(t, relaxedModeration);
    await respond(kept, { decision: 'accepted', reason: 'Приема се.' });
    await close(id);

    const preview = (
      await t.inject({
        method: 'GET',
        url: `/api/admin/consultations/${id}/report/preview`,
        cookie: admin.cookie,
      })
    ).json() as ConsultationReportPreview;
    expect(preview.proposals.map((p) => p.commentId)).toEqual([kept]);
    expect(preview.totals).toMatchObject({ proposals: 1, withdrawn: 0, hidden: 1 });
    expect(preview.missingDecisions).toEqual([]);
    expect(preview.publishable).toBe(true);
    expect(JSON.stringify(preview)).not.toContain(held);
  });

  it('needs a final decision on every proposal still in the thread', async () => {
    const id = await openConsultationId();
    const unanswered = await post(id, resident, 'Без отговор');
    const reviewing = await post(id, resident, 'В процес');
    const answered = await post(id, resident, 'С отговор');
    const withdrawn = await post(id, resident, 'Оттеглено');
    await deleteComment(withdrawn, resident);
    await respond(reviewing, { decision: 'under_review' });
    await respond(answered, { decision: 'not_accepted', reason: 'Противоречи на закона.' });
    await close(id);

    const refused = await publishReport(id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: {
        code: 'report_incomplete',
        fields: {
          proposals: {
            code: 'decisions_missing',
            message: 'Предложения без окончателно решение: 2.',
          },
        },
      },
    });

    const preview = (
      await t.inject({
        method: 'GET',
        url: `/api/admin/consultations/${id}/report/preview`,
        cookie: admin.cookie,
      })
    ).json() as ConsultationReportPreview;
    expect(preview.publishable).toBe(false);
    expect(preview.missingDecisions.sort()).toEqual([unanswered, reviewing].sort());
    expect(preview.totals).toMatchObject({
      proposals: 3,
      withdrawn: 1,
      byDecision: { none: 1, under_review: 1, not_accepted: 1 },
    });
    expect(preview.proposals.map((p) => p.commentId)).not.toContain(withdrawn);

    await respond(unanswered, { decision: 'accepted', reason: 'Приема се.' });
    await respond(reviewing, { decision: 'partly_accepted', reason: 'Отчасти.' });
    const ready = (
      await t.inject({
        method: 'GET',
        url: `/api/admin/consultations/${id}/report/preview`,
        cookie: admin.cookie,
      })
    ).json() as ConsultationReportPreview;
    expect(ready).toMatchObject({ publishable: true, missingDecisions: [] });
    expect((await publishReport(id)).statusCode).toBe(201);
  });

  it('answers a retry whose first publication committed with the report, not a refusal', async () => {
    const id = await openConsultationId();
    const proposal = await post(id, resident, 'Предложение');
    await respond(proposal, { decision: 'accepted', reason: 'Да.' });
    await close(id);
    const payload = { summary: 'Публикувано при срив.' };
    const first = await publishReport(id, payload, `stranded-${id}`);
    expect(first.statusCode).toBe(201);
    await strandIdempotencyKey(t, admin.id, `stranded-${id}`);
    const retry = await publishReport(id, payload, `stranded-${id}`);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
  });

  it('publishes once: state, audit, live event; a second publish is refused', async () => {
    const id = await openConsultationId();
    const proposal = await post(id, resident, 'Предложение');
    await respond(proposal, { decision: 'accepted', reason: 'Да.' });
    await close(id);

    const first = await publishReport(id, { summary: '## Изводи\n\nПриети са всички.' }, `r-${id}`);
    expect(first.statusCode).toBe(201);
    const replay = await publishReport(
      id,
      { summary: '## Изводи\n\nПриети са всички.' },
      `r-${id}`,
    );
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const second = await publishReport(id, { summary: 'Друго обобщение.' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'report_already_published' } });

    const consultation = (await get(`/api/consultations/${id}`)).json() as Consultation;
    expect(consultation.state).toBe('report_published');
    const reports = await t.app.db
      .select()
      .from(consultationReports)
      .where(eq(consultationReports.consultationId, id));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      summary: '## Изводи\n\nПриети са всички.',
      publishedBy: admin.id,
    });
    const audit = await t.app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, id), eq(auditLog.action, 'consultation.report_published')));
    expect(audit).toHaveLength(1);
    const events = await t.app.db
      .select()
      .from(liveEvents)
      .where(eq(liveEvents.topic, `consultation:${id}`))
      .orderBy(liveEvents.id);
    expect(events.at(-1)?.payload).toEqual({ type: 'state_changed', state: 'report_published' });
  });

  it('refuses a missing, empty or oversized summary', async () => {
    const id = await openConsultationId();
    await close(id);
    for (const payload of [
      {},
      { summary: '   ' },
      { summary: 'я'.repeat(20_001) },
      { summary: 7 },
    ]) {
      const response = await publishReport(id, payload);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        error: { code: 'validation_failed', fields: { summary: {} } },
      });
    }
    expect((await get(`/api/consultations/${id}`)).json()).toMatchObject({ state: 'closed' });
  });
});

describe('the published report', () => {
  let id: string;
  const tricky = 'Предложение, със „запетаи“, "кавички" и\nнов ред;\r\nи още един — край.';
  const formula = '=HYPERLINK("http://evil.example","натисни")';
  let proposals: string[];
  let leaver: Awaited<ReturnType<typeof signUp>>;

  beforeAll(async () => {
    id = await openConsultationId('Наредба за зелените площи');
    leaver = await signUp(t, { displayName: 'Напуснал Жител' });
    const other = await signUp(t, { displayName: 'Мария Георгиева' });
    // Winter (UTC+2) and summer (UTC+3) times, to see the dates come out in Sofia time.
    proposals = [
      await comment(id, resident.id, tricky, {
        stance: 'for',
        createdAt: new Date('2026-01-15T10:30:00Z'),
        supportCount: 4,
      }),
      await comment(id, leaver.id, 'Предложение от изтрит профил', {
        stance: 'against',
        createdAt: new Date('2026-07-15T21:30:00Z'),
      }),
      await comment(id, other.id, formula, {
        stance: 'neutral',
        createdAt: new Date('2026-07-16T08:00:00Z'),
      }),
    ];
    await comment(id, other.id, 'Отговор, не предложение', { parent: proposals[0] });
    await respond(proposals[0]!, {
      decision: 'accepted',
      reason: 'Приема се, с „уточнение“, "цитат"\nи нов ред.',
    });
    await respond(proposals[1]!, { decision: 'not_accepted', reason: 'Не се приема.' });
    await respond(proposals[2]!, { decision: 'partly_accepted', reason: 'Частично.' });
    const deletion = await t.inject({
      method: 'POST',
      url: '/api/account/delete',
      cookie: leaver.cookie,
      payload: { password: leaver.password },
    });
    expect(deletion.statusCode).toBeLessThan(300);
    await close(id);
    const published = await publishReport(id, {
      summary:
        '## Изводи\n\nПостъпиха **три** предложения.\n\n- първо\n- второ\n\n<script>alert(1)</script>',
    });
    expect(published.statusCode).toBe(201);
  });

  it('is public as JSON: consultation, summary, totals and every proposal in order', async () => {
    const response = await get(`/api/consultations/${id}/report`);
    expect(response.statusCode).toBe(200);
    const report = response.json() as ConsultationReport;
    expect(report.consultation).toMatchObject({
      id,
      titleBg: 'Наредба за зелените площи',
      titleEn: 'Rules of the SDEI directorate',
      closedReason: 'Приключване на срока.',
    });
    expect(report.summary.source).toContain('<script>alert(1)</script>');
    expect(report.summary.html).toContain('<h2>Изводи</h2>');
    expect(report.summary.html).toContain('<strong>три</strong>');
    expect(report.summary.html).not.toContain('<script>');
    expect(report.totals).toEqual({
      proposals: 3,
      withdrawn: 0,
      hidden: 0,
      byDecision: {
        accepted: 1,
        partly_accepted: 1,
        not_accepted: 1,
        under_review: 0,
        received: 0,
        none: 0,
      },
      byStance: { for: 1, against: 1, neutral: 1, none: 0 },
      participants: 3,
    });
    expect(report.proposals.map((p) => p.commentId)).toEqual(proposals);
    expect(report.proposals[0]).toEqual({
      commentId: proposals[0],
      number: 1,
      authorName: 'Иван Петров',
      createdAt: '2026-01-15T10:30:00.000Z',
      body: tricky,
      stance: 'for',
      supportCount: 4,
      versionNumber: 1,
      decision: 'accepted',
      reason: 'Приема се, с „уточнение“, "цитат"\nи нов ред.',
    });
    expect(report.proposals[1]).toMatchObject({ authorName: null, decision: 'not_accepted' });
    expect(JSON.stringify(report)).not.toContain(leaver.email);
  });

  it('downloads as CSV that a CSV parser reads back to the same values', async () => {
    const response = await get(`/api/consultations/${id}/report.csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename=sabor-report-${id}.csv`,
    );
    const bytes = response.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(response.body).toContain('\r\n');
    const rows = parse(bytes, { bom: true, relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual([
      '№',
      'Дата',
      'Автор',
      'Позиция',
      'Подкрепи',
      'Предложение',
      'Решение',
      'Мотиви',
      'ID',
    ]);
    expect(rows.slice(1)).toEqual([
      [
        '1',
        '2026-01-15 12:30',
        'Иван Петров',
        'За',
        '4',
        tricky,
        'Приема се',
        'Приема се, с „уточнение“, "цитат"\nи нов ред.',
        proposals[0],
      ],
      [
        '2',
        '2026-07-16 00:30',
        'Изтрит профил',
        'Против',
        '0',
        'Предложение от изтрит профил',
        'Не се приема',
        'Не се приема.',
        proposals[1],
      ],
      // A formula is defused for spreadsheets with a leading apostrophe.
      [
        '3',
        '2026-07-16 11:00',
        'Мария Георгиева',
        'Неутрално',
        '0',
        `'${formula}`,
        'Приема се частично',
        'Частично.',
        proposals[2],
      ],
    ]);
  });

  it('speaks the caller’s language in the CSV header and labels', async () => {
    const response = await get(`/api/consultations/${id}/report.csv`, {
      'accept-language': 'en-GB,en;q=0.9',
    });
    const rows = parse(response.rawPayload, { bom: true }) as string[][];
    expect(rows[0]).toEqual([
      'No.',
      'Date',
      'Author',
      'Stance',
      'Supports',
      'Proposal',
      'Decision',
      'Reason',
      'ID',
    ]);
    expect(rows[1]).toMatchObject({ 3: 'For', 6: 'Accepted' });
    expect(rows[2]).toMatchObject({ 2: 'Deleted account' });
  });

  it('downloads as a PDF with the Cyrillic text, the decisions and page numbers', async () => {
    const response = await get(`/api/consultations/${id}/report.pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename=sabor-report-${id}.pdf`,
    );
    const bytes = response.rawPayload;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain('DejaVuSans');
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const { totalPages, text } = await extractText(pdf, { mergePages: true });
    expect(totalPages).toBeGreaterThanOrEqual(1);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Справка за постъпилите предложения');
    expect(flat).toContain('Наредба за зелените площи');
    expect(flat).toContain('Предложение от изтрит профил');
    expect(flat).toContain('Изтрит профил');
    expect(flat).toContain('Решение: Приема се частично');
    expect(flat).toContain('Мотиви: Частично.');
    expect(flat).toContain('Постъпиха три предложения.');
    expect(flat).toContain(`Страница 1 от ${totalPages}`);

    const english = await get(`/api/consultations/${id}/report.pdf`, { 'accept-language': 'en' });
    const englishText = (
      await extractText(await getDocumentProxy(new Uint8Array(english.rawPayload)), {
        mergePages: true,
      })
    ).text.replace(/\s+/g, ' ');
    expect(englishText).toContain('Report on the proposals received');
    expect(englishText).toContain('Rules of the SDEI directorate');
    expect(englishText).toContain('Decision: Partly accepted');
  });

  it('limits PDF downloads per address', async () => {
    const url = `/api/consultations/${missingId}/report.pdf`;
    const send = () => t.inject({ method: 'GET', url, remoteAddress: '10.99.0.1' });
    for (let index = 0; index < pdfsPerMinute; index += 1) {
      expect((await send()).statusCode).toBe(404);
    }
    const limited = await send();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    expect(limited.headers['retry-after']).toBeDefined();
    const elsewhere = await t.inject({ method: 'GET', url, remoteAddress: '10.99.0.2' });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('spreads a long report over numbered pages', async () => {
    const longId = await openConsultationId('Дълга консултация');
    for (let index = 0; index < 30; index += 1) {
      const proposal = await post(
        longId,
        resident,
        `Предложение номер ${index + 1}. ${'Текст на предложението. '.repeat(20)}`,
      );
      await respond(proposal, { decision: 'accepted', reason: 'Приема се.' });
    }
    await close(longId);
    expect((await publishReport(longId)).statusCode).toBe(201);
    const response = await get(`/api/consultations/${longId}/report.pdf`);
    const pdf = await getDocumentProxy(new Uint8Array(response.rawPayload));
    const { totalPages, text } = await extractText(pdf);
    expect(totalPages).toBeGreaterThan(2);
    expect(text.at(-1)?.replace(/\s+/g, ' ')).toContain(`Страница ${totalPages} от ${totalPages}`);
    expect(text.join(' ')).toContain('Предложение номер 30.');
  });
});
