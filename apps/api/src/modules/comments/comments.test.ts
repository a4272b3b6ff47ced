import { randomUUID } from 'node:crypto';
import {
  consultationLiveEventSchema,
  type Comment,
  type CommentList,
  type CommentReplies,
  type CommentSupport,
  type Consultation,
} from '@sabor/contracts';
import { comments, idempotencyKeys, liveEvents, selectRows, users } from '@sabor/db';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeConsultation,
  draftConsultation,
  openConsultation,
  publishConsultation,
  secondInstance,
  connect,
  until,
} from '../../../test/fixtures';
import { requestHash } from '../../plugins/idempotency';
import { commentModeration } from '../moderation/comment-hooks';
import { SettingsCache } from '../moderation/settings';
import { recountStats } from './repository';
import { createComment } from './service';
import {
  buildTestApp,
  relaxedModeration,
  setModerationSettings,
  signUp,
  strandIdempotencyKey,
  type TestApp,
} from '../../../test/helper';
import { encodeCursor } from './cursor';
import { listProposals } from './repository';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signUp>>;
let moderator: Awaited<ReturnType<typeof signUp>>;
let alice: Awaited<ReturnType<typeof signUp>>;
let bob: Awaited<ReturnType<typeof signUp>>;
let open: Consultation;

beforeAll(async () => {
  t = await buildTestApp();
  // These residents are minutes old and post a lot (links too): the rules for new accounts are
  // tested in modules/moderation.
  await setModerationSettings(t, relaxedModeration);
  admin = await signUp(t, { role: 'admin' });
  moderator = await signUp(t, { role: 'moderator' });
  alice = await signUp(t, { displayName: 'Алиса Петрова' });
  bob = await signUp(t, { displayName: 'Борис Иванов' });
  open = await openConsultation(t, admin.cookie);
});
afterAll(async () => {
  await t.close();
});

function post(
  consultationId: string,
  cookie: string | undefined,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return t.inject({
    method: 'POST',
    url: `/api/consultations/${consultationId}/comments`,
    cookie,
    payload,
    headers,
  });
}

async function postOk(
  consultationId: string,
  cookie: string,
  payload: Record<string, unknown> = {},
): Promise<Comment> {
  const response = await post(consultationId, cookie, {
    body: 'Предложение',
    ...(payload.parentId === undefined && { stance: 'for' }),
    ...payload,
  });
  if (response.statusCode !== 201) throw new Error(`comment failed: ${response.body}`);
  return response.json();
}

async function thread(consultationId: string, query = '', cookie?: string): Promise<CommentList> {
  const response = await t.inject({
    method: 'GET',
    url: `/api/consultations/${consultationId}/comments${query && `?${query}`}`,
    cookie,
  });
  if (response.statusCode !== 200) throw new Error(`thread failed: ${response.body}`);
  return response.json();
}

function edit(id: string, cookie: string | undefined, payload: Record<string, unknown>) {
  return t.inject({ method: 'PATCH', url: `/api/comments/${id}`, cookie, payload });
}

function remove(id: string, cookie: string | undefined) {
  return t.inject({ method: 'DELETE', url: `/api/comments/${id}`, cookie });
}

function support(id: string, cookie: string | undefined, method: 'PUT' | 'DELETE' = 'PUT') {
  return t.inject({ method, url: `/api/comments/${id}/support`, cookie });
}

/** The live events of a consultation, each checked against the published contract. */
async function eventsOf(consultationId: string) {
  const rows = await t.app.db
    .select()
    .from(liveEvents)
    .where(eq(liveEvents.topic, `consultation:${consultationId}`))
    .orderBy(liveEvents.id);
  return rows.map((row) => consultationLiveEventSchema.parse(row.payload));
}

const errorCode = (response: { json(): unknown }) =>
  (response.json() as { error: { code: string; fields?: Record<string, { code: string }> } }).error;

describe('who may write', () => {
  const id = '00000000-0000-4000-8000-000000000000';

  it('refuses anonymous writes with 401', async () => {
    const requests = [
      post(open.id, undefined, { body: 'x', stance: 'for' }),
      edit(id, undefined, { body: 'x' }),
      remove(id, undefined),
      support(id, undefined),
      support(id, undefined, 'DELETE'),
    ];
    for (const response of await Promise.all(requests)) {
      expect(response.statusCode).toBe(401);
      expect(errorCode(response).code).toBe('unauthorized');
    }
  });

  it('refuses a suspended resident (the session ends)', async () => {
    const suspended = await signUp(t);
    await postOk(open.id, suspended.cookie);
    await t.app.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, suspended.id));
    expect((await post(open.id, suspended.cookie, { body: 'x', stance: 'for' })).statusCode).toBe(
      401,
    );
  });

  it('lets a resident whose address is not verified yet comment, as the foundation does', async () => {
    const fresh = await signUp(t);
    const session = await t.inject({
      method: 'GET',
      url: '/api/auth/session',
      cookie: fresh.cookie,
    });
    expect(session.json()).toMatchObject({ user: { emailVerified: false } });
    expect((await post(open.id, fresh.cookie, { body: 'Да', stance: 'for' })).statusCode).toBe(201);
  });
});

describe('posting', () => {
  it('posts a proposal with a stance and shows it first in the thread', async () => {
    const c = await openConsultation(t, admin.cookie);
    const comment = await postOk(c.id, alice.cookie, { body: 'Предлагам **по-дълъг** срок.' });
    expect(comment).toMatchObject({
      consultationId: c.id,
      parentId: null,
      rootId: comment.id,
      depth: 0,
      author: { id: alice.id, displayName: 'Алиса Петрова' },
      stance: 'for',
      body: 'Предлагам **по-дълъг** срок.',
      bodyHtml: '<p>Предлагам <strong>по-дълъг</strong> срок.</p>\n',
      versionNumber: 1,
      supportCount: 0,
      supportedByMe: false,
      replyCount: 0,
      editedAt: null,
      deleted: false,
      mine: true,
    });
    expect(new Date(comment.editableUntil!).getTime()).toBe(
      new Date(comment.createdAt).getTime() + 15 * 60 * 1000,
    );
    const asBob = await thread(c.id, '', bob.cookie);
    expect(asBob.total).toBe(1);
    expect(asBob.items[0]).toMatchObject({
      id: comment.id,
      mine: false,
      editableUntil: null,
      replies: [],
      moreReplies: 0,
      repliesCursor: null,
    });
    expect((await thread(c.id)).items[0]).toMatchObject({ mine: false, supportedByMe: false });
  });

  it('records the version of the draft the comment was written on', async () => {
    const c = await openConsultation(t, admin.cookie);
    await postOk(c.id, alice.cookie);
    const revised = await t.inject({
      method: 'POST',
      url: `/api/admin/consultations/${c.id}/versions`,
      cookie: admin.cookie,
      payload: { body: 'Втора версия' },
    });
    expect(revised.statusCode).toBe(200);
    const later = await postOk(c.id, alice.cookie);
    expect(later.versionNumber).toBe(2);
    expect((await thread(c.id, 'order=oldest')).items.map((i) => i.versionNumber)).toEqual([1, 2]);
  });

  it('requires a stance on a proposal and refuses one on a reply', async () => {
    const missing = await post(open.id, alice.cookie, { body: 'Без позиция' });
    expect(missing.statusCode).toBe(400);
    expect(errorCode(missing).fields).toMatchObject({ stance: { code: 'required' } });

    for (const stance of ['maybe', 'FOR', '', null, 1]) {
      const wrong = await post(open.id, alice.cookie, { body: 'Позиция', stance });
      expect(wrong.statusCode).toBe(400);
      expect(Object.keys(errorCode(wrong).fields!)).toEqual(['stance']);
    }

    const proposal = await postOk(open.id, alice.cookie, { stance: 'neutral' });
    const reply = await post(open.id, bob.cookie, {
      body: 'Отговор',
      parentId: proposal.id,
      stance: 'against',
    });
    expect(reply.statusCode).toBe(400);
    expect(errorCode(reply).fields).toMatchObject({ stance: { code: 'stance_not_allowed' } });
  });

  it('refuses bodies that are empty, over 5,000 characters or hold control characters', async () => {
    const cases: [unknown, string][] = [
      ['', 'required'],
      ['   \n\t  ', 'required'],
      ['я'.repeat(5001), 'too_long'],
      ['a\u0000b', 'control_characters'],
      ['a\u0007b', 'control_characters'],
      ['a\u001bb', 'control_characters'],
      ['a\u0085b', 'control_characters'],
      [42, 'invalid'],
    ];
    for (const [body, code] of cases) {
      const response = await post(open.id, alice.cookie, { body, stance: 'for' });
      expect(response.statusCode, String(body).slice(0, 20)).toBe(400);
      expect(errorCode(response)).toMatchObject({
        code: 'validation_failed',
        fields: { body: { code } },
      });
    }
    const edge = await postOk(open.id, alice.cookie, { body: 'я'.repeat(5000) });
    expect(edge.body).toHaveLength(5000);
    const tabs = await postOk(open.id, alice.cookie, { body: '  ред\tедно\r\nред две  ' });
    expect(tabs.body).toBe('ред\tедно\r\nред две');
  });

  it('refuses unknown fields types and malformed parents', async () => {
    for (const parentId of ['not-a-uuid', 42, '']) {
      const response = await post(open.id, alice.cookie, { body: 'x', parentId });
      expect(response.statusCode).toBe(400);
      expect(errorCode(response).fields).toHaveProperty('parentId');
    }
    const badId = await t.inject({
      method: 'POST',
      url: '/api/consultations/not-a-uuid/comments',
      cookie: alice.cookie,
      payload: { body: 'x', stance: 'for' },
    });
    expect(badId.statusCode).toBe(400);
  });

  it('stores hostile bodies exactly as written and renders them inert', async () => {
    const hostile = [
      '<script>alert(document.cookie)</script>',
      '<img src=x onerror=alert(1)>',
      '[натисни](javascript:alert(1))',
      '[натисни](JaVaScRiPt:alert(1))',
      '[натисни](&#106;avascript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '![следене](https://evil.example/pixel.gif)',
      '<div><p onclick="alert(1)">вложен <b>html</b></p></div>',
      "'; drop table comments; --",
    ];
    const c = await openConsultation(t, admin.cookie);
    for (const body of hostile) {
      const created = await postOk(c.id, alice.cookie, { body });
      expect(created.body).toBe(body);
    }
    const stored = await t.app.db
      .select({ body: comments.body })
      .from(comments)
      .where(eq(comments.consultationId, c.id))
      .orderBy(asc(comments.createdAt), asc(comments.id));
    expect(stored.map((row) => row.body).sort()).toEqual([...hostile].sort());
    const page = await thread(c.id, 'limit=50');
    expect(page.items).toHaveLength(hostile.length);
    for (const item of page.items) {
      expect(item.bodyHtml).not.toMatch(/<(script|img|div|iframe)\b/i);
      expect(item.bodyHtml).not.toMatch(/<[a-z][^>]*\son\w+\s*=/i);
      expect(item.bodyHtml).not.toMatch(/href="(?!https?:\/\/)/i);
    }
    const image = page.items.find((i) => i.body.startsWith('!['))!;
    expect(image.bodyHtml).toContain('rel="nofollow ugc noopener"');
  });

  it('refuses comments on draft (404), scheduled and closed (409) consultations', async () => {
    const draft = await draftConsultation(t, admin.cookie);
    const scheduled = await publishConsultation(
      t,
      admin.cookie,
      (await draftConsultation(t, admin.cookie)).id,
    );
    expect(scheduled.state).toBe('scheduled');
    const closed = await openConsultation(t, admin.cookie);
    const proposal = await postOk(closed.id, alice.cookie);
    await closeConsultation(t, admin.cookie, closed.id);

    const onDraft = await post(draft.id, alice.cookie, { body: 'x', stance: 'for' });
    expect(onDraft.statusCode).toBe(404);
    const onUnknown = await post('00000000-0000-4000-8000-000000000000', alice.cookie, {
      body: 'x',
      stance: 'for',
    });
    expect(onUnknown.statusCode).toBe(404);
    for (const c of [scheduled, closed]) {
      const response = await post(c.id, alice.cookie, { body: 'x', stance: 'for' });
      expect(response.statusCode).toBe(409);
      expect(errorCode(response).code).toBe('consultation_not_open');
    }
    const replyAfterClose = await post(closed.id, bob.cookie, { body: 'x', parentId: proposal.id });
    expect(replyAfterClose.statusCode).toBe(409);
    // Even staff do not comment on a draft.
    expect((await post(draft.id, admin.cookie, { body: 'x', stance: 'for' })).statusCode).toBe(404);
    const message = await t.inject({
      method: 'POST',
      url: `/api/consultations/${closed.id}/comments`,
      cookie: alice.cookie,
      headers: { 'accept-language': 'en', cookie: `${alice.cookie}; sabor_locale=en` },
      payload: { body: 'x', stance: 'for' },
    });
    expect(errorCode(message)).toMatchObject({
      code: 'consultation_not_open',
      message: 'The consultation is not open: comments, edits and support are not accepted.',
    });
  });

  it('refuses a reply to a comment of another consultation or to no comment at all', async () => {
    const other = await openConsultation(t, admin.cookie);
    const elsewhere = await postOk(other.id, alice.cookie);
    for (const parentId of [elsewhere.id, '00000000-0000-4000-8000-000000000000']) {
      const response = await post(open.id, bob.cookie, { body: 'Отговор', parentId });
      expect(response.statusCode).toBe(400);
      expect(errorCode(response).fields).toMatchObject({
        parentId: { code: 'reply_parent_invalid' },
      });
    }
    const [row] = await t.app.db.select().from(comments).where(eq(comments.id, elsewhere.id));
    expect(row!.replyCount).toBe(0);
  });

  it('nests replies five levels deep and lists them flattened, oldest first, with depth', async () => {
    const c = await openConsultation(t, admin.cookie);
    const proposal = await postOk(c.id, alice.cookie, { body: 'Ниво 0' });
    const chain = [proposal];
    for (let level = 1; level <= 5; level += 1) {
      const cookie = level % 2 ? bob.cookie : alice.cookie;
      chain.push(await postOk(c.id, cookie, { body: `Ниво ${level}`, parentId: chain.at(-1)!.id }));
    }
    const sibling = await postOk(c.id, bob.cookie, {
      body: 'Втори отговор',
      parentId: proposal.id,
    });
    expect(chain.map((x) => x.depth)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(chain.slice(1).every((x) => x.rootId === proposal.id && x.stance === null)).toBe(true);
    expect(chain[5]!.parentId).toBe(chain[4]!.id);

    const page = await thread(c.id);
    expect(page.total).toBe(1);
    const item = page.items[0]!;
    expect(item.replyCount).toBe(2);
    expect(item.replies.map((r) => [r.body, r.depth])).toEqual([
      ['Ниво 1', 1],
      ['Ниво 2', 2],
      ['Ниво 3', 3],
      ['Ниво 4', 4],
      ['Ниво 5', 5],
      ['Втори отговор', 1],
    ]);
    expect(item.replies.map((r) => r.replyCount)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(item.replies.at(-1)!.id).toBe(sibling.id);
  });

  it('creates one comment for a replayed POST with the same Idempotency-Key', async () => {
    const c = await openConsultation(t, admin.cookie);
    const payload = { body: 'Само веднъж', stance: 'against' };
    const headers = { 'idempotency-key': 'comment-key-1' };
    const first = await post(c.id, alice.cookie, payload, headers);
    const second = await post(c.id, alice.cookie, payload, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    const reused = await post(c.id, alice.cookie, { ...payload, body: 'Друго' }, headers);
    expect(reused.statusCode).toBe(422);
    expect((await thread(c.id)).total).toBe(1);
    expect((await eventsOf(c.id)).filter((e) => e.type === 'comment_created')).toHaveLength(1);
  });

  describe('a claim stranded by a failure (the database went away, or the process died)', () => {
    /** A claim row as a request takes it (to strand, or to find in progress). */
    async function strandedClaim(consultationId: string, key: string, payload: object) {
      await t.app.db.insert(idempotencyKeys).values({
        key,
        scope: `user:${alice.id}`,
        method: 'POST',
        path: `/api/consultations/${consultationId}/comments`,
        requestHash: requestHash('POST', '/api/consultations/:id/comments', payload),
      });
    }

    it('answers a retry with the comment the first attempt committed, once the lease ran out', async () => {
      const c = await openConsultation(t, admin.cookie);
      const payload = { body: 'Записан, но без отговор', stance: 'for' };
      const headers = { 'idempotency-key': 'stranded-committed' };
      const first = await post(c.id, alice.cookie, payload, headers);
      expect(first.statusCode).toBe(201);
      // The comment and its mark committed; storing the response failed with the database.
      await strandIdempotencyKey(t, alice.id, 'stranded-committed');

      const retry = await post(c.id, alice.cookie, payload, headers);
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toEqual(first.json());
      const again = await post(c.id, alice.cookie, payload, headers);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      expect((await thread(c.id)).total).toBe(1);
      expect((await eventsOf(c.id)).filter((e) => e.type === 'comment_created')).toHaveLength(1);
    });

    it('posts the comment for a retry when the first attempt did not commit; one of two racing retries does', async () => {
      const c = await openConsultation(t, admin.cookie);
      const payload = { body: 'Не стигна до базата', stance: 'against' };
      const headers = { 'idempotency-key': 'stranded-uncommitted' };
      await strandedClaim(c.id, 'stranded-uncommitted', payload);
      await strandIdempotencyKey(t, alice.id, 'stranded-uncommitted');

      const retries = await Promise.all([
        post(c.id, alice.cookie, payload, headers),
        post(c.id, alice.cookie, payload, headers),
      ]);
      const created = retries.filter((r) => r.statusCode === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const r of retries) expect([201, 409]).toContain(r.statusCode);
      expect(new Set(created.map((r) => (r.json() as Comment).id)).size).toBe(1);
      const thisThread = await thread(c.id);
      expect(thisThread.total).toBe(1);
      expect(thisThread.items[0]!.body).toBe(payload.body);
      const later = await post(c.id, alice.cookie, payload, headers);
      expect(later.statusCode).toBe(201);
      expect((later.json() as Comment).id).toBe((created[0]!.json() as Comment).id);
    });

    it('still answers 409 while the claim is younger than the lease', async () => {
      const c = await openConsultation(t, admin.cookie);
      const payload = { body: 'Още се записва', stance: 'neutral' };
      await strandedClaim(c.id, 'claimed-just-now', payload);
      const retry = await post(c.id, alice.cookie, payload, {
        'idempotency-key': 'claimed-just-now',
      });
      expect(retry.statusCode).toBe(409);
      expect(retry.json()).toMatchObject({ error: { code: 'idempotency_key_in_use' } });
      expect((await thread(c.id)).total).toBe(0);
    });

    it('refuses the write of an attempt whose claim a retry took over', async () => {
      const c = await openConsultation(t, admin.cookie);
      const payload = { body: 'Закъснял', stance: 'for' } as const;
      await strandedClaim(c.id, 'taken-over', payload);
      const overtaken = { scope: `user:${alice.id}`, key: 'taken-over', claimId: randomUUID() };
      await expect(
        createComment(
          { db: t.app.db, config: t.config, moderation: commentModeration(new SettingsCache()) },
          c.id,
          alice.id,
          payload,
          overtaken,
        ),
      ).rejects.toMatchObject({ statusCode: 409, code: 'idempotency_key_in_use' });
      expect((await thread(c.id)).total).toBe(0);
    });
  });

  it('publishes comment_created with no viewer-specific fields', async () => {
    const c = await openConsultation(t, admin.cookie);
    const comment = await postOk(c.id, alice.cookie, { body: 'На живо' });
    const events = await eventsOf(c.id);
    expect(events.at(-1)).toEqual({
      type: 'comment_created',
      comment: { ...comment, mine: false, supportedByMe: false, editableUntil: null },
    });
  });
});

describe('reading the thread', () => {
  it('hides the thread of a draft from all but admins, and 404s unknown consultations', async () => {
    const draft = await draftConsultation(t, admin.cookie);
    for (const cookie of [undefined, alice.cookie, moderator.cookie]) {
      const response = await t.inject({
        method: 'GET',
        url: `/api/consultations/${draft.id}/comments`,
        cookie,
      });
      expect(response.statusCode).toBe(404);
    }
    expect((await thread(draft.id, '', admin.cookie)).total).toBe(0);
    const unknown = await t.inject({
      method: 'GET',
      url: '/api/consultations/00000000-0000-4000-8000-000000000000/comments',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses bad orders, limits and cursors', async () => {
    const bad = [
      'order=best',
      'page=2',
      'limit=0',
      'limit=51',
      'limit=abc',
      `cursor=${'a'.repeat(201)}`,
      'cursor=',
      'cursor=not-base64-json',
      `cursor=${Buffer.from('["n","2026-02-30T10:00:00.000000Z","00000000-0000-4000-8000-000000000000"]').toString('base64url')}`,
      `cursor=${Buffer.from('["n","2026-01-01T10:00:00Z","00000000-0000-4000-8000-000000000000"]').toString('base64url')}`,
      `cursor=${Buffer.from('["n","2026-01-01T10:00:00.000000Z","1; drop table comments"]').toString('base64url')}`,
      `cursor=${Buffer.from('["s",-1,"2026-01-01T10:00:00.000000Z","00000000-0000-4000-8000-000000000000"]').toString('base64url')}`,
      `cursor=${Buffer.from('{"__proto__":{}}').toString('base64url')}`,
      // A cursor of another order, or of the replies listing.
      `order=supported&cursor=${encodeCursor({ kind: 'newest', createdAt: '2026-01-01T10:00:00.000000Z', id: '00000000-0000-4000-8000-000000000000' })}`,
      `cursor=${encodeCursor({ kind: 'replies', createdAt: '2026-01-01T10:00:00.000000Z', id: '00000000-0000-4000-8000-000000000000' })}`,
    ];
    for (const query of bad) {
      const response = await t.inject({
        method: 'GET',
        url: `/api/consultations/${open.id}/comments?${query}`,
      });
      expect(response.statusCode, query).toBe(400);
      expect(errorCode(response).code).toBe('validation_failed');
    }
  });

  describe('pagination', () => {
    let c: Consultation;
    const proposalCount = 47;

    beforeAll(async () => {
      c = await openConsultation(t, admin.cookie);
      // Groups of five share a created_at to the microsecond; some differ by microseconds only,
      // which a millisecond cursor would lose. Support counts tie too.
      const base = Date.UTC(2026, 0, 10, 9, 0, 0);
      const rows = Array.from({ length: proposalCount }, (_, i) => {
        const id = crypto.randomUUID();
        return {
          id,
          rootId: id,
          consultationId: c.id,
          authorId: i % 2 ? alice.id : bob.id,
          stance: 'neutral' as const,
          body: `Предложение ${i}`,
          versionNumber: 1,
          supportCount: i % 4,
          createdAt: new Date(base + Math.floor(i / 5) * 1000),
        };
      });
      await t.app.db.insert(comments).values(rows);
      await recountStats(t.app.db, c.id);
      await t.app.db
        .update(comments)
        .set({ createdAt: sql`${comments.createdAt} + interval '3 microseconds'` })
        .where(
          inArray(
            comments.id,
            rows.filter((_, i) => i % 7 === 0).map((row) => row.id),
          ),
        );
    });

    async function expectedOrder(order: 'newest' | 'oldest' | 'supported') {
      const by =
        order === 'newest'
          ? [desc(comments.createdAt), desc(comments.id)]
          : order === 'oldest'
            ? [asc(comments.createdAt), asc(comments.id)]
            : [desc(comments.supportCount), desc(comments.createdAt), desc(comments.id)];
      const rows = await t.app.db
        .select({ id: comments.id })
        .from(comments)
        .where(and(eq(comments.consultationId, c.id), isNull(comments.parentId)))
        .orderBy(...by);
      return rows.map((row) => row.id);
    }

    for (const order of ['newest', 'oldest', 'supported'] as const) {
      it(`walks every proposal once, ${order} first, page by page`, async () => {
        const seen: Comment[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = `order=${order}&limit=6${cursor ? `&cursor=${cursor}` : ''}`;
          const page = await thread(c.id, query);
          expect(page.total).toBe(proposalCount);
          expect(page.items.length).toBeLessThanOrEqual(6);
          seen.push(...page.items);
          cursor = page.nextCursor;
          pages += 1;
          if (cursor) expect(cursor.length).toBeLessThanOrEqual(200);
        } while (cursor && pages < 20);
        expect(pages).toBe(Math.ceil(proposalCount / 6));
        const ids = seen.map((item) => item.id);
        expect(new Set(ids).size).toBe(proposalCount);
        expect(ids).toEqual(await expectedOrder(order));
        const times = seen.map((item) => new Date(item.createdAt).getTime());
        if (order === 'newest') expect(times).toEqual([...times].sort((a, b) => b - a));
        if (order === 'oldest') expect(times).toEqual([...times].sort((a, b) => a - b));
        if (order === 'supported') {
          const counts = seen.map((item) => item.supportCount);
          expect(counts).toEqual([...counts].sort((a, b) => b - a));
        }
      });
    }

    it('answers an empty last page and no cursor when the page is exactly full', async () => {
      const page = await thread(c.id, `limit=${proposalCount}`);
      expect(page.items).toHaveLength(proposalCount);
      expect(page.nextCursor).toBeNull();
      const partial = await thread(c.id, `limit=${proposalCount - 1}`);
      const last = await thread(c.id, `limit=5&cursor=${partial.nextCursor!}`);
      expect(last.items).toHaveLength(1);
      expect(last.nextCursor).toBeNull();
    });
  });

  it('shows at most 100 replies per proposal and pages the rest with the replies route', async () => {
    const c = await openConsultation(t, admin.cookie);
    const proposal = await postOk(c.id, alice.cookie, { body: 'Дълга дискусия' });
    const base = Date.UTC(2026, 1, 1, 8, 0, 0);
    const replies = Array.from({ length: 130 }, (_, i) => ({
      consultationId: c.id,
      parentId: proposal.id,
      rootId: proposal.id,
      depth: 1,
      authorId: i % 2 ? bob.id : alice.id,
      body: `Отговор ${i}`,
      versionNumber: 1,
      // Pairs share a timestamp: the id breaks the tie.
      createdAt: new Date(base + Math.floor(i / 2) * 1000),
    }));
    await t.app.db.insert(comments).values(replies);
    await recountStats(t.app.db, proposal.consultationId);
    const expected = (
      await t.app.db
        .select({ id: comments.id })
        .from(comments)
        .where(eq(comments.parentId, proposal.id))
        .orderBy(asc(comments.createdAt), asc(comments.id))
    ).map((row) => row.id);

    const [item] = (await thread(c.id)).items;
    expect(item!.replies).toHaveLength(100);
    expect(item!.moreReplies).toBe(30);
    expect(item!.replies.map((r) => r.id)).toEqual(expected.slice(0, 100));

    const url = `/api/consultations/${c.id}/comments/${proposal.id}/replies`;
    const rest = await t.inject({ method: 'GET', url: `${url}?cursor=${item!.repliesCursor!}` });
    expect(rest.statusCode).toBe(200);
    const restBody = rest.json() as CommentReplies;
    expect(restBody.items.map((r) => r.id)).toEqual(expected.slice(100));
    expect(restBody.nextCursor).toBeNull();

    // From the start, in small pages.
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await t.inject({
        method: 'GET',
        url: `${url}?limit=40${cursor ? `&cursor=${cursor}` : ''}`,
      });
      const body = response.json() as CommentReplies;
      walked.push(...body.items.map((r) => r.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(walked).toEqual(expected);

    const other = await postOk(c.id, bob.cookie);
    const reply = await postOk(c.id, bob.cookie, { parentId: other.id });
    for (const wrong of [
      `/api/consultations/${open.id}/comments/${proposal.id}/replies`,
      `/api/consultations/${c.id}/comments/${reply.id}/replies`,
      `/api/consultations/${c.id}/comments/00000000-0000-4000-8000-000000000000/replies`,
    ]) {
      expect((await t.inject({ method: 'GET', url: wrong })).statusCode).toBe(404);
    }
    const badCursor = await t.inject({
      method: 'GET',
      url: `${url}?cursor=${encodeCursor({ kind: 'newest', createdAt: '2026-01-01T10:00:00.000000Z', id: proposal.id })}`,
    });
    expect(badCursor.statusCode).toBe(400);
  });

  it.runIf(process.env.DATABASE_URL)(
    'reads any page of a 10,000-comment thread by an index scan, never sorting the thread (PostgreSQL)',
    async () => {
      const c = await openConsultation(t, admin.cookie);
      await t.app.db.execute(sql`
        insert into comments (id, consultation_id, root_id, author_id, stance, body, version_number,
                              support_count, created_at)
        select id, ${c.id}::uuid, id, ${alice.id}::uuid, 'for', 'Предложение ' || n, 1, n % 13,
               now() - n * interval '1 second'
        from (select gen_random_uuid() as id, n from generate_series(1, 10000) as n) as rows`);
      await t.app.db.update(comments).set({ rootId: comments.id }).where(isNull(comments.rootId));
      await recountStats(t.app.db, c.id);
      await t.app.db.execute(sql`analyze comments`);

      const after = (order: 'newest' | 'oldest' | 'supported') =>
        order === 'supported'
          ? {
              kind: order,
              supportCount: 6,
              createdAt: '2026-01-01T10:00:00.000000Z',
              id: '00000000-0000-4000-8000-000000000000',
            }
          : {
              kind: order,
              createdAt: new Date(Date.now() - 5000 * 1000).toISOString().replace('Z', '000Z'),
              id: '00000000-0000-4000-8000-000000000000',
            };
      const indexOf = {
        newest: 'comments_proposals_newest_idx',
        oldest: 'comments_proposals_newest_idx',
        supported: 'comments_proposals_supported_idx',
      };
      // The public reader's page, which leaves held comments out, still walks the index.
      const anonymous = { userId: null, staff: false };
      for (const order of ['newest', 'oldest', 'supported'] as const) {
        for (const cursor of [null, after(order)]) {
          const rows = await selectRows<{ 'QUERY PLAN': string }>(
            t.app.db,
            sql`explain ${listProposals(t.app.db, c.id, order, cursor, 20, anonymous)}`,
          );
          const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
          expect(plan, plan).toContain(`Index Scan`);
          expect(plan, plan).toContain(indexOf[order]);
          expect(plan, plan).not.toMatch(/\bSort\b/);
          if (cursor) expect(plan, plan).toMatch(/Index Cond: .*created_at/);
        }
      }
      const first = await thread(c.id, 'order=supported');
      expect(first.total).toBe(10_000);
      expect(first.items).toHaveLength(20);
    },
  );
});

describe('editing', () => {
  it('lets the author edit within 15 minutes and announces it', async () => {
    const c = await openConsultation(t, admin.cookie);
    const comment = await postOk(c.id, alice.cookie, { body: 'Първо', stance: 'for' });
    const response = await edit(comment.id, alice.cookie, {
      body: 'Второ *издание*',
      stance: 'against',
    });
    expect(response.statusCode).toBe(200);
    const edited = response.json() as Comment;
    expect(edited).toMatchObject({
      id: comment.id,
      body: 'Второ *издание*',
      bodyHtml: '<p>Второ <em>издание</em></p>\n',
      stance: 'against',
      mine: true,
    });
    expect(edited.editedAt).not.toBeNull();
    expect(edited.editableUntil).toBe(comment.editableUntil);
    expect((await eventsOf(c.id)).at(-1)).toEqual({
      type: 'comment_edited',
      id: comment.id,
      bodyHtml: edited.bodyHtml,
      body: edited.body,
      stance: 'against',
      editedAt: edited.editedAt,
    });
    const kept = await edit(comment.id, alice.cookie, { body: 'Трето' });
    expect((kept.json() as Comment).stance).toBe('against');
  });

  it('refuses a stance on a reply and bad bodies', async () => {
    const proposal = await postOk(open.id, alice.cookie);
    const reply = await postOk(open.id, bob.cookie, { parentId: proposal.id, body: 'Отговор' });
    const withStance = await edit(reply.id, bob.cookie, { body: 'Нов', stance: 'for' });
    expect(withStance.statusCode).toBe(400);
    expect(errorCode(withStance).fields).toMatchObject({ stance: { code: 'stance_not_allowed' } });
    for (const body of ['', 'x'.repeat(5001), 'a\u0000b']) {
      expect((await edit(reply.id, bob.cookie, { body })).statusCode).toBe(400);
    }
    expect((await edit(reply.id, bob.cookie, { body: 'Нов' })).statusCode).toBe(200);
  });

  it('refuses edits after 15 minutes with comment_edit_window_closed', async () => {
    const comment = await postOk(open.id, alice.cookie);
    const setAge = (minutes: number) =>
      t.app.db
        .update(comments)
        .set({ createdAt: sql`now() - ${minutes} * interval '1 minute'` })
        .where(eq(comments.id, comment.id));
    await setAge(14);
    expect((await edit(comment.id, alice.cookie, { body: 'Навреме' })).statusCode).toBe(200);
    await setAge(16);
    const late = await edit(comment.id, alice.cookie, { body: 'Късно' });
    expect(late.statusCode).toBe(409);
    expect(errorCode(late).code).toBe('comment_edit_window_closed');
    const [row] = await t.app.db.select().from(comments).where(eq(comments.id, comment.id));
    expect(row!.body).toBe('Навреме');
    const [item] = (await thread(open.id, 'limit=50', alice.cookie)).items.filter(
      (i) => i.id === comment.id,
    );
    expect(item?.editableUntil ?? null).toBeNull();
  });

  it('refuses edits and deletes by anyone but the author, staff included', async () => {
    const comment = await postOk(open.id, alice.cookie, { body: 'Моето' });
    for (const who of [bob, moderator, admin]) {
      const editing = await edit(comment.id, who.cookie, { body: 'Чуждо' });
      expect(editing.statusCode).toBe(403);
      expect(errorCode(editing).code).toBe('forbidden');
      expect((await remove(comment.id, who.cookie)).statusCode).toBe(403);
    }
    const [row] = await t.app.db.select().from(comments).where(eq(comments.id, comment.id));
    expect(row).toMatchObject({ body: 'Моето', deletedAt: null, editedAt: null });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await edit(unknown, alice.cookie, { body: 'x' })).statusCode).toBe(404);
    expect((await remove(unknown, alice.cookie)).statusCode).toBe(404);
    expect((await edit('nope', alice.cookie, { body: 'x' })).statusCode).toBe(400);
  });

  it('refuses edits once the consultation has closed', async () => {
    const c = await openConsultation(t, admin.cookie);
    const comment = await postOk(c.id, alice.cookie);
    await closeConsultation(t, admin.cookie, c.id);
    const response = await edit(comment.id, alice.cookie, { body: 'След края' });
    expect(response.statusCode).toBe(409);
    expect(errorCode(response).code).toBe('consultation_not_open');
  });

  it('makes a first-time commenter a follower, and leaves an unfollow alone afterwards', async () => {
    const c = await openConsultation(t, admin.cookie);
    const following = async () =>
      (
        await t.inject({
          method: 'GET',
          url: `/api/consultations/${c.id}/follow`,
          cookie: bob.cookie,
        })
      ).json<{ following: boolean }>().following;
    expect(await following()).toBe(false);
    await postOk(c.id, bob.cookie);
    expect(await following()).toBe(true);
    await t.inject({
      method: 'DELETE',
      url: `/api/consultations/${c.id}/follow`,
      cookie: bob.cookie,
    });
    await postOk(c.id, bob.cookie, { body: 'Още едно' });
    expect(await following()).toBe(false);
  });

  it('keeps comments once the consultation has closed: the report is made from them', async () => {
    const c = await openConsultation(t, admin.cookie);
    const comment = await postOk(c.id, alice.cookie, { body: 'За справката' });
    await closeConsultation(t, admin.cookie, c.id);
    const response = await remove(comment.id, alice.cookie);
    expect(response.statusCode).toBe(409);
    expect(errorCode(response).code).toBe('consultation_not_open');
    const [row] = await t.app.db.select().from(comments).where(eq(comments.id, comment.id));
    expect(row).toMatchObject({ body: 'За справката', deletedAt: null });
  });

  it('shows the official response under the proposal, and none on replies', async () => {
    const c = await openConsultation(t, admin.cookie);
    const proposal = await postOk(c.id, alice.cookie);
    await postOk(c.id, bob.cookie, { body: 'Отговор', parentId: proposal.id });
    const responded = await t.inject({
      method: 'PUT',
      url: `/api/admin/comments/${proposal.id}/response`,
      cookie: admin.cookie,
      payload: { decision: 'accepted', reason: 'Приема се <b>изцяло</b>.' },
    });
    expect(responded.statusCode).toBe(200);
    const [item] = (await thread(c.id, '', bob.cookie)).items;
    expect(item?.response).toMatchObject({
      decision: 'accepted',
      reason: 'Приема се <b>изцяло</b>.',
    });
    expect(item?.replies[0]?.response).toBeNull();
  });
});

describe('deleting', () => {
  it('keeps a deleted comment in its place without its text', async () => {
    const c = await openConsultation(t, admin.cookie);
    const first = await postOk(c.id, alice.cookie, { body: 'Първо' });
    const middle = await postOk(c.id, alice.cookie, { body: 'Тайна', stance: 'against' });
    const reply = await postOk(c.id, bob.cookie, { body: 'Отговор', parentId: middle.id });
    const last = await postOk(c.id, bob.cookie, { body: 'Последно' });
    expect((await support(middle.id, bob.cookie)).statusCode).toBe(200);

    const response = await remove(middle.id, alice.cookie);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect((await eventsOf(c.id)).at(-1)).toEqual({ type: 'comment_deleted', id: middle.id });

    const page = await thread(c.id, 'order=oldest', alice.cookie);
    expect(page.items.map((i) => i.id)).toEqual([first.id, middle.id, last.id]);
    expect(page.items[1]).toMatchObject({
      deleted: true,
      body: '',
      bodyHtml: '',
      stance: 'against',
      supportCount: 1,
      editableUntil: null,
      replies: [{ id: reply.id, body: 'Отговор' }],
    });
    expect(JSON.stringify(page)).not.toContain('Тайна');
    const [row] = await t.app.db.select().from(comments).where(eq(comments.id, middle.id));
    expect(row!.body).toBe('');
    expect(row!.deletedAt).not.toBeNull();

    // Deleting again changes nothing; a deleted comment takes no edits, replies or supports.
    expect((await remove(middle.id, alice.cookie)).statusCode).toBe(200);
    expect((await eventsOf(c.id)).filter((e) => e.type === 'comment_deleted')).toHaveLength(1);
    for (const response of [
      await edit(middle.id, alice.cookie, { body: 'Пак', stance: 'for' }),
      await post(c.id, bob.cookie, { body: 'Отговор', parentId: middle.id }),
      await support(middle.id, moderator.cookie),
    ]) {
      expect(response.statusCode).toBe(409);
      expect(errorCode(response).code).toBe('comment_deleted');
    }
    // Withdrawing one's support still works.
    expect((await support(middle.id, bob.cookie, 'DELETE')).json()).toEqual({
      supportCount: 0,
      supportedByMe: false,
    });
  });
});

describe('support', () => {
  it('counts one support per resident, twice changes nothing, and it can be withdrawn', async () => {
    const c = await openConsultation(t, admin.cookie);
    const comment = await postOk(c.id, alice.cookie);
    const before = (await eventsOf(c.id)).length;

    const first = await support(comment.id, bob.cookie);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ supportCount: 1, supportedByMe: true });
    expect((await support(comment.id, bob.cookie)).json()).toEqual({
      supportCount: 1,
      supportedByMe: true,
    });
    const events = (await eventsOf(c.id)).slice(before);
    expect(events).toEqual([{ type: 'support_changed', id: comment.id, supportCount: 1 }]);

    const asBob = (await thread(c.id, '', bob.cookie)).items[0]!;
    expect(asBob).toMatchObject({ supportCount: 1, supportedByMe: true });
    expect((await thread(c.id, '', moderator.cookie)).items[0]!.supportedByMe).toBe(false);

    expect((await support(comment.id, bob.cookie, 'DELETE')).json()).toEqual({
      supportCount: 0,
      supportedByMe: false,
    });
    expect((await support(comment.id, bob.cookie, 'DELETE')).json()).toEqual({
      supportCount: 0,
      supportedByMe: false,
    });
    expect((await eventsOf(c.id)).slice(before).map((e) => e.type)).toEqual([
      'support_changed',
      'support_changed',
    ]);
  });

  it('refuses supporting one’s own comment, unknown comments and closed consultations', async () => {
    const c = await openConsultation(t, admin.cookie);
    const comment = await postOk(c.id, alice.cookie);
    const own = await support(comment.id, alice.cookie);
    expect(own.statusCode).toBe(403);
    expect(errorCode(own).code).toBe('cannot_support_own_comment');
    expect((await support('00000000-0000-4000-8000-000000000000', bob.cookie)).statusCode).toBe(
      404,
    );
    expect((await support('nope', bob.cookie)).statusCode).toBe(400);
    await closeConsultation(t, admin.cookie, c.id);
    const closed = await support(comment.id, bob.cookie);
    expect(closed.statusCode).toBe(409);
    expect(errorCode(closed).code).toBe('consultation_not_open');
  });

  it('counts 20 residents supporting at once exactly, and one resident’s parallel clicks once', async () => {
    const c = await openConsultation(t, admin.cookie);
    const comment = await postOk(c.id, alice.cookie);
    const residents = await Promise.all(Array.from({ length: 20 }, () => signUp(t)));
    const responses = await Promise.all(residents.map((r) => support(comment.id, r.cookie)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const counts = responses
      .map((r) => (r.json() as CommentSupport).supportCount)
      .sort((a, b) => a - b);
    expect(counts.at(-1)).toBe(20);
    const [row] = await t.app.db.select().from(comments).where(eq(comments.id, comment.id));
    expect(row!.supportCount).toBe(20);

    const clicks = await Promise.all(
      Array.from({ length: 5 }, () => support(comment.id, bob.cookie)),
    );
    expect(clicks.every((r) => r.statusCode === 200)).toBe(true);
    const [after] = await t.app.db.select().from(comments).where(eq(comments.id, comment.id));
    expect(after!.supportCount).toBe(21);
    const changes = (await eventsOf(c.id)).filter((e) => e.type === 'support_changed');
    expect(changes).toHaveLength(21);
    expect(changes.map((e) => e.type === 'support_changed' && e.supportCount)).toEqual(
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
  });
});

describe('consultation detail', () => {
  it('renders the body with the staff subset and counts distinct participants', async () => {
    const c = await openConsultation(t, admin.cookie, {
      body: '# Наредба\n\n| Чл. | Текст |\n|---|---|\n| 1 | Общи |\n\n<script>alert(1)</script> [x](javascript:alert(1))',
    });
    expect(c.bodyHtml).toContain('<h1>Наредба</h1>');
    expect(c.bodyHtml).toContain('<table>');
    expect(c.bodyHtml).not.toContain('<script');
    expect(c.bodyHtml).not.toContain('href="javascript');
    expect(c.participantCount).toBe(0);

    const proposal = await postOk(c.id, alice.cookie);
    await postOk(c.id, alice.cookie);
    await postOk(c.id, bob.cookie, { parentId: proposal.id });
    const leaving = await signUp(t);
    const gone = await postOk(c.id, leaving.cookie, { parentId: proposal.id });
    expect((await remove(gone.id, leaving.cookie)).statusCode).toBe(200);

    const read = await t.inject({ method: 'GET', url: `/api/consultations/${c.id}` });
    expect(read.json()).toMatchObject({ participantCount: 3 });
  });
});

/**
 * A browser tab on the thread that counts only comment events: a state change published just
 * before subscribing may still arrive.
 */
async function connectToThread(app: TestApp) {
  const client = await connect(app);
  const events = () =>
    client
      .events()
      .filter((m) => (m.payload as { type?: string }).type?.startsWith('comment_') === true);
  return {
    events,
    subscribe: (topic: string, lastEventId: number | null) =>
      client.subscribe([topic], lastEventId),
    /** Waits for `count` comment events. */
    async waitForEvents(count: number) {
      await until(() => events().length >= count, `${count} events`);
      return events();
    },
    close: () => client.close(),
  };
}

describe('live thread', () => {
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });

  it('delivers comment_created to a subscriber of the consultation', async () => {
    const c = await openConsultation(t, admin.cookie);
    const client = await connectToThread(t);
    await client.subscribe(`consultation:${c.id}`, null);
    const comment = await postOk(c.id, alice.cookie, { body: 'Здравейте на живо' });
    const [event] = await client.waitForEvents(1);
    expect(event).toMatchObject({ type: 'event', topic: `consultation:${c.id}` });
    expect(consultationLiveEventSchema.parse(event!.payload)).toEqual({
      type: 'comment_created',
      comment: { ...comment, mine: false, editableUntil: null },
    });
    await client.close();
  });

  it('gives the thread a bookmark: subscribing from it later misses nothing posted since', async () => {
    const c = await openConsultation(t, admin.cookie);
    const before = await postOk(c.id, alice.cookie, { body: 'Вече на страницата' });
    const page = await thread(c.id);
    expect(page.items.map((i) => i.id)).toEqual([before.id]);
    // Posted between loading the page and opening the socket.
    const meanwhile = await postOk(c.id, bob.cookie, { body: 'Междувременно' });
    const client = await connectToThread(t);
    await client.subscribe(`consultation:${c.id}`, page.lastEventId);
    const [event] = await client.waitForEvents(1);
    expect(event!.payload).toMatchObject({ comment: { id: meanwhile.id } });
    await client.close();
  });

  it('resumes after a disconnect with exactly the 50 comments posted meanwhile, in order', async () => {
    const c = await openConsultation(t, admin.cookie);
    const topic = `consultation:${c.id}`;
    const client = await connectToThread(t);
    await client.subscribe(topic, null);
    await postOk(c.id, alice.cookie, { body: 'Преди прекъсването' });
    const [seen] = await client.waitForEvents(1);
    await client.close();

    const posted: string[] = [];
    for (let i = 0; i < 50; i += 1) {
      const author = i % 2 ? alice : bob;
      posted.push((await postOk(c.id, author.cookie, { body: `Докато ме нямаше ${i}` })).id);
    }

    const again = await connectToThread(t);
    await again.subscribe(topic, seen!.id!);
    const events = await again.waitForEvents(50);
    // Nothing more arrives after the 50: post a marker and check it is the 51st.
    const marker = await postOk(c.id, alice.cookie, { body: 'Маркер' });
    await again.waitForEvents(51);
    const ids = again.events().map((e) => e.id!);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(51);
    const commentIds = events.slice(0, 50).map((e) => {
      const payload = consultationLiveEventSchema.parse(e.payload);
      return payload.type === 'comment_created' ? payload.comment.id : payload.type;
    });
    expect(commentIds).toEqual(posted);
    expect(again.events()[50]!.payload).toMatchObject({ comment: { id: marker.id } });
    await again.close();
  });

  describe.runIf(process.env.DATABASE_URL)('across instances (PostgreSQL)', () => {
    let other: TestApp;
    beforeAll(async () => {
      other = await secondInstance(t);
    });
    afterAll(async () => {
      await other.close();
    });

    it('delivers a comment posted through instance A to a subscriber on instance B', async () => {
      const c = await openConsultation(t, admin.cookie);
      const client = await connectToThread(other);
      await client.subscribe(`consultation:${c.id}`, null);
      const comment = await postOk(c.id, alice.cookie, { body: 'От инстанция А' });
      const [event] = await client.waitForEvents(1);
      expect(event!.payload).toMatchObject({
        type: 'comment_created',
        comment: { id: comment.id, body: 'От инстанция А' },
      });
      await client.close();
    });
  });
});
