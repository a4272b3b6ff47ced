import type { CommentOrder } from '@sabor/contracts';
import {
  comments,
  commentSupports,
  consultations,
  consultationStats,
  liveEvents,
  users,
  type CommentRow,
  type Executor,
} from '@sabor/db';
import { and, asc, count, desc, eq, getTableColumns, inArray, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { CommentKey } from './cursor';

/** A comment with what its view needs: the author's name and the exact sort timestamp. */
export type CommentViewRow = CommentRow & { authorName: string; createdAtKey: string };

/** `created_at` to the microsecond, in UTC, in the cursor's format. */
const createdAtKey = (table: typeof comments) =>
  sql<string>`to_char(${table.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const viewColumns = {
  ...getTableColumns(comments),
  authorName: users.displayName,
  createdAtKey: createdAtKey(comments).as('created_at_key'),
};

/** State and version of a consultation, share-locked so it cannot close under a write. */
export async function lockConsultationForComment(tx: Executor, id: string) {
  const [row] = await tx
    .select({
      id: consultations.id,
      state: consultations.state,
      currentVersion: consultations.currentVersion,
    })
    .from(consultations)
    .where(eq(consultations.id, id))
    .for('share');
  return row;
}

export async function findConsultationState(db: Executor, id: string) {
  const [row] = await db
    .select({ state: consultations.state })
    .from(consultations)
    .where(eq(consultations.id, id));
  return row?.state;
}

/** The newest live event id: a bookmark taken before reading state that live events then update. */
export async function latestEventId(db: Executor): Promise<number> {
  const [row] = await db
    .select({ value: sql<number>`coalesce(max(${liveEvents.id}), 0)`.mapWith(Number) })
    .from(liveEvents);
  return row?.value ?? 0;
}

export async function findComment(db: Executor, id: string): Promise<CommentRow | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id));
  return row;
}

export async function lockComment(tx: Executor, id: string): Promise<CommentRow | undefined> {
  const [row] = await tx.select().from(comments).where(eq(comments.id, id)).for('update');
  return row;
}

export async function findCommentView(
  db: Executor,
  id: string,
): Promise<CommentViewRow | undefined> {
  const [row] = await db
    .select(viewColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(eq(comments.id, id));
  return row;
}

/**
 * One page of proposals (top-level comments) after `after`, plus one more row to tell whether
 * another page follows. Each order is a keyset scan of a partial index on top-level comments
 * (`comments_proposals_newest_idx` forwards or backwards, `comments_proposals_supported_idx`), so
 * any page costs the same however long the thread is.
 */
export function listProposals(
  db: Executor,
  consultationId: string,
  order: CommentOrder,
  after: CommentKey | null,
  limit: number,
) {
  const conditions = [eq(comments.consultationId, consultationId), isNull(comments.parentId)];
  if (after) conditions.push(keysetCondition(after));
  const orderBy =
    order === 'newest'
      ? [desc(comments.createdAt), desc(comments.id)]
      : order === 'oldest'
        ? [asc(comments.createdAt), asc(comments.id)]
        : [desc(comments.supportCount), desc(comments.createdAt), desc(comments.id)];
  return db
    .select(viewColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(...conditions))
    .orderBy(...orderBy)
    .limit(limit + 1);
}

function keysetCondition(after: CommentKey) {
  const createdAt = sql`${after.createdAt}::timestamptz`;
  const id = sql`${after.id}::uuid`;
  switch (after.kind) {
    case 'newest':
      return sql`(${comments.createdAt}, ${comments.id}) < (${createdAt}, ${id})`;
    case 'oldest':
    case 'replies':
      return sql`(${comments.createdAt}, ${comments.id}) > (${createdAt}, ${id})`;
    case 'supported':
      return sql`(${comments.supportCount}, ${comments.createdAt}, ${comments.id}) < (${after.supportCount}::int, ${createdAt}, ${id})`;
  }
}

export async function countProposals(db: Executor, consultationId: string): Promise<number> {
  return (await statsOf(db, consultationId)).proposalCount;
}

async function statsOf(db: Executor, consultationId: string) {
  const [row] = await db
    .select()
    .from(consultationStats)
    .where(eq(consultationStats.consultationId, consultationId));
  return row ?? { proposalCount: 0, participantCount: 0 };
}

/** Adds a comment to the thread's totals (and locks them until the transaction ends). */
export async function countComment(
  tx: Executor,
  consultationId: string,
  { proposal }: { proposal: boolean },
): Promise<void> {
  await tx
    .insert(consultationStats)
    .values({ consultationId, proposalCount: proposal ? 1 : 0 })
    .onConflictDoUpdate({
      target: consultationStats.consultationId,
      set: { proposalCount: sql`${consultationStats.proposalCount} + ${proposal ? 1 : 0}` },
    });
}

/** Counts a resident's first comment in the consultation (after countComment). */
export async function countParticipant(tx: Executor, consultationId: string): Promise<void> {
  await tx
    .update(consultationStats)
    .set({ participantCount: sql`${consultationStats.participantCount} + 1` })
    .where(eq(consultationStats.consultationId, consultationId));
}

/**
 * Recomputes a thread's totals from its comments: for content written without the comment service
 * (the demo seed, benchmarks' bulk inserts).
 */
export async function recountStats(tx: Executor, consultationId: string): Promise<void> {
  await tx.execute(sql`
    insert into consultation_stats (consultation_id, proposal_count, participant_count)
    select ${consultationId}::uuid,
           count(*) filter (where parent_id is null),
           count(distinct author_id)
    from comments where consultation_id = ${consultationId}::uuid
    on conflict (consultation_id) do update
      set proposal_count = excluded.proposal_count,
          participant_count = excluded.participant_count`);
}

/**
 * The first `limit + 1` replies (every depth, oldest first) under each of the given proposals, in
 * one query: a lateral index scan of `comments_root_idx` per proposal.
 */
export async function listFirstReplies(
  db: Executor,
  rootIds: string[],
  limit: number,
): Promise<CommentViewRow[]> {
  if (rootIds.length === 0) return [];
  const root = alias(comments, 'root');
  const replies = db
    .select(viewColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.rootId, root.id), ne(comments.id, root.id)))
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .limit(limit + 1)
    .as('replies');
  const rows = await db
    .select()
    .from(root)
    .crossJoinLateral(replies)
    .where(inArray(root.id, rootIds));
  return rows.map((row) => row.replies);
}

/** Replies under one proposal after `after` (oldest first), plus one to tell whether more follow. */
export async function listReplies(
  db: Executor,
  rootId: string,
  after: CommentKey | null,
  limit: number,
): Promise<CommentViewRow[]> {
  const conditions = [eq(comments.rootId, rootId), ne(comments.id, rootId)];
  if (after) conditions.push(keysetCondition(after));
  return db
    .select(viewColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(...conditions))
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .limit(limit + 1);
}

/** Replies under a proposal after `after`; read only for threads longer than one batch. */
export async function countRepliesAfter(
  db: Executor,
  rootId: string,
  after: CommentKey,
): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(comments)
    .where(and(eq(comments.rootId, rootId), ne(comments.id, rootId), keysetCondition(after)));
  return row?.value ?? 0;
}

/** Which of `commentIds` the user supports. */
export async function supportedBy(
  db: Executor,
  userId: string,
  commentIds: string[],
): Promise<Set<string>> {
  if (commentIds.length === 0) return new Set();
  const rows = await db
    .select({ id: commentSupports.commentId })
    .from(commentSupports)
    .where(and(eq(commentSupports.userId, userId), inArray(commentSupports.commentId, commentIds)));
  return new Set(rows.map((row) => row.id));
}

/**
 * Residents who commented on a consultation, deleted comments included. Walks the proposals'
 * partial index and each thread's `root_id` index rather than the whole comments table.
 */
export async function countParticipants(db: Executor, consultationId: string): Promise<number> {
  return (await statsOf(db, consultationId)).participantCount;
}

/** Whether the user has written any comment in the consultation (deleted ones included). */
export async function hasCommented(
  db: Executor,
  consultationId: string,
  userId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.consultationId, consultationId), eq(comments.authorId, userId)))
    .limit(1);
  return row !== undefined;
}
