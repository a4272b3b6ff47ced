// Helpers for the moderation tests: comments, reports and decisions through the API
// as residents, moderators and admins would make them, and what was published live.
import type { Comment, CommentList, ModerationItem, ModerationQueue } from '@sabor/contracts';
import { liveEvents, moderationItems, users } from '@sabor/db';
import { and, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { day } from '../../../test/fixtures';
import type { signUp, TestApp } from '../../../test/helper';

export type Person = Awaited<ReturnType<typeof signUp>>;

/** The error code (and field problems) of a refused request. */
export const errorOf = (response: LightMyRequestResponse) =>
  response.json<{ error: { code: string; fields?: Record<string, { code: string }> } }>().error;

export function postComment(
  t: TestApp,
  who: Person,
  consultationId: string,
  payload: { body?: string; stance?: string; parentId?: string } = {},
) {
  return t.inject({
    method: 'POST',
    url: `/api/consultations/${consultationId}/comments`,
    cookie: who.cookie,
    payload: {
      body: 'Предложение',
      ...(payload.parentId === undefined && { stance: 'for' }),
      ...payload,
    },
  });
}

/** Posts a comment that must be accepted (published or held). */
export async function postOk(
  t: TestApp,
  who: Person,
  consultationId: string,
  payload: { body?: string; stance?: string; parentId?: string } = {},
): Promise<Comment> {
  const response = await postComment(t, who, consultationId, payload);
  if (response.statusCode !== 201) throw new Error(`comment failed: ${response.body}`);
  return response.json();
}

/** The first page of a thread as `who` (anonymous when omitted) reads it. */
export async function threadOf(
  t: TestApp,
  consultationId: string,
  who?: Person,
  query = 'limit=50',
): Promise<CommentList> {
  const response = await t.inject({
    method: 'GET',
    url: `/api/consultations/${consultationId}/comments?${query}`,
    cookie: who?.cookie,
  });
  if (response.statusCode !== 200) throw new Error(`thread failed: ${response.body}`);
  return response.json();
}

/** Every comment of a thread page (proposals and their replies) by id. */
export function commentsOf(list: CommentList): Map<string, Comment> {
  return new Map(
    list.items.flatMap((item) => [item, ...item.replies]).map((comment) => [comment.id, comment]),
  );
}

export function report(
  t: TestApp,
  who: Person | undefined,
  commentId: string,
  payload: unknown = { reason: 'spam' },
  headers: Record<string, string> = {},
) {
  return t.inject({
    method: 'POST',
    url: `/api/comments/${commentId}/reports`,
    cookie: who?.cookie,
    payload: payload as Record<string, unknown>,
    headers,
  });
}

export function decide(t: TestApp, who: Person | undefined, itemId: string, body: unknown) {
  return t.inject({
    method: 'POST',
    url: `/api/moderation/items/${itemId}/decision`,
    cookie: who?.cookie,
    payload: body as Record<string, unknown>,
  });
}

/** Decides an item, which must succeed. */
export async function decideOk(
  t: TestApp,
  who: Person,
  itemId: string,
  body: unknown,
): Promise<ModerationItem> {
  const response = await decide(t, who, itemId, body);
  if (response.statusCode !== 200) throw new Error(`decision failed: ${response.body}`);
  return response.json();
}

export async function queueOf(t: TestApp, who: Person, query = ''): Promise<ModerationQueue> {
  const response = await t.inject({
    method: 'GET',
    url: `/api/moderation/items${query && `?${query}`}`,
    cookie: who.cookie,
  });
  if (response.statusCode !== 200) throw new Error(`queue failed: ${response.body}`);
  return response.json();
}

/** The queue item of a comment, straight from the database. */
export async function itemRowOf(t: TestApp, commentId: string) {
  const [row] = await t.app.db
    .select()
    .from(moderationItems)
    .where(
      and(eq(moderationItems.subjectType, 'comment'), eq(moderationItems.subjectId, commentId)),
    );
  return row;
}

/** The payloads published on a topic, oldest first. */
export async function eventsOn(t: TestApp, topic: string): Promise<{ type: string }[]> {
  const rows = await t.app.db
    .select()
    .from(liveEvents)
    .where(eq(liveEvents.topic, topic))
    .orderBy(liveEvents.id);
  return rows.map((row) => row.payload as { type: string });
}

/** Makes an account old (signed up ten days ago): the rules for new accounts no longer apply. */
export async function ageAccount(t: TestApp, who: Person): Promise<void> {
  await t.app.db
    .update(users)
    .set({ createdAt: new Date(Date.now() - 10 * day) })
    .where(eq(users.id, who.id));
}
