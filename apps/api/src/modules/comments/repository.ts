import type { CommentOrder, HoldReason } from '@sabor/contracts';
import {
  comments,
  commentSupports,
  consultations,
  consultationStats,
  moderationItems,
  moderationReports,
  users,
  type CommentRow,
  type Executor,
} from '@sabor/db';
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNull,
  ne,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { consultationStatsOf } from '../../shared/consultation-stats';
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

/**
 * Who reads a thread, as far as held comments go: they are part of it only for moderators and
 * admins (`staff`) and for their own author.
 */
export interface ThreadReader {
  userId: string | null;
  staff: boolean;
}

/** The comments a reader may see: held ones only when staff or their author. */
function shownTo(reader: ThreadReader): SQL | undefined {
  if (reader.staff) return undefined;
  const admitted = ne(comments.moderationState, 'held');
  return reader.userId ? or(admitted, eq(comments.authorId, reader.userId)) : admitted;
}

/** State, version and pre-moderation of a consultation, share-locked so it cannot close under a write. */
export async function lockConsultationForComment(tx: Executor, id: string) {
  const [row] = await tx
    .select({
      id: consultations.id,
      state: consultations.state,
      currentVersion: consultations.currentVersion,
      premoderated: consultations.premoderated,
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

export async function findComment(db: Executor, id: string): Promise<CommentRow | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id));
  return row;
}

export async function lockComment(tx: Executor, id: string): Promise<CommentRow | undefined> {
  const [row] = await tx.select().from(comments).where(eq(comments.id, id)).for('update');
  return row;
}

/**
 * The comment a reply answers, locked so that it cannot be deleted under the reply: a live comment
 * of the same consultation that is part of the thread (a held comment is not, yet).
 */
export async function lockReplyParent(tx: Executor, consultationId: string, parentId: string) {
  const [row] = await tx
    .select({ id: comments.id, rootId: comments.rootId, depth: comments.depth })
    .from(comments)
    .where(
      and(
        eq(comments.id, parentId),
        eq(comments.consultationId, consultationId),
        isNull(comments.deletedAt),
        ne(comments.moderationState, 'held'),
      ),
    )
    .for('update');
  return row;
}

/** Counts a reply on its parent (see lockReplyParent). */
export async function countReply(tx: Executor, parentId: string): Promise<void> {
  await tx
    .update(comments)
    .set({ replyCount: sql`${comments.replyCount} + 1` })
    .where(eq(comments.id, parentId));
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
  reader: ThreadReader,
) {
  const conditions = [
    eq(comments.consultationId, consultationId),
    isNull(comments.parentId),
    shownTo(reader),
  ];
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
  return (await consultationStatsOf(db, consultationId)).proposalCount;
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
  reader: ThreadReader,
): Promise<CommentViewRow[]> {
  if (rootIds.length === 0) return [];
  const root = alias(comments, 'root');
  const replies = db
    .select(viewColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.rootId, root.id), ne(comments.id, root.id), shownTo(reader)))
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
  reader: ThreadReader,
): Promise<CommentViewRow[]> {
  const conditions = [eq(comments.rootId, rootId), ne(comments.id, rootId), shownTo(reader)];
  if (after) conditions.push(keysetCondition(after));
  return db
    .select(viewColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(...conditions))
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .limit(limit + 1);
}

/**
 * The first direct replies to a comment, oldest first (held ones included: for moderators). Walks
 * the thread's `root_id` index, as comments have none on their parent.
 */
export async function listDirectReplies(
  db: Executor,
  comment: Pick<CommentRow, 'id' | 'rootId'>,
  limit: number,
): Promise<CommentViewRow[]> {
  return db
    .select(viewColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(
      and(eq(comments.rootId, comment.rootId ?? comment.id), eq(comments.parentId, comment.id)),
    )
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .limit(limit);
}

/** Replies under a proposal after `after`; read only for threads longer than one batch. */
export async function countRepliesAfter(
  db: Executor,
  rootId: string,
  after: CommentKey,
  reader: ThreadReader,
): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(comments)
    .where(
      and(
        eq(comments.rootId, rootId),
        ne(comments.id, rootId),
        keysetCondition(after),
        shownTo(reader),
      ),
    );
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
 * Whether the user already has a comment in the consultation's thread other than `exceptId`
 * (deleted ones included; held ones are not in the thread yet).
 */
export async function hasCommented(
  db: Executor,
  consultationId: string,
  userId: string,
  exceptId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: comments.id })
    .from(comments)
    .where(
      and(
        eq(comments.consultationId, consultationId),
        eq(comments.authorId, userId),
        ne(comments.id, exceptId),
        ne(comments.moderationState, 'held'),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Why each of the given held comments was held (shown to their authors and moderators). */
export async function holdReasonsOf(
  db: Executor,
  commentIds: string[],
): Promise<Map<string, HoldReason>> {
  if (commentIds.length === 0) return new Map();
  const rows = await db
    .select({ id: moderationItems.subjectId, holdReason: moderationItems.holdReason })
    .from(moderationItems)
    .where(
      and(
        eq(moderationItems.subjectType, 'comment'),
        inArray(moderationItems.subjectId, commentIds),
      ),
    );
  return new Map(
    rows.flatMap((row) => (row.holdReason ? [[row.id, row.holdReason] as const] : [])),
  );
}

/** Which of `commentIds` the user has reported. */
export async function reportedBy(
  db: Executor,
  userId: string,
  commentIds: string[],
): Promise<Set<string>> {
  if (commentIds.length === 0) return new Set();
  const rows = await db
    .select({ id: moderationItems.subjectId })
    .from(moderationReports)
    .innerJoin(moderationItems, eq(moderationItems.id, moderationReports.itemId))
    .where(
      and(
        eq(moderationReports.reporterId, userId),
        eq(moderationItems.subjectType, 'comment'),
        inArray(moderationItems.subjectId, commentIds),
      ),
    );
  return new Set(rows.map((row) => row.id));
}
