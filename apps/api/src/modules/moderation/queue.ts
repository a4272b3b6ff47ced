import {
  moderationQueueCountCap,
  type Locale,
  type ModerationItemDetail,
  type ModerationQueue,
  type ModerationQueueQuery,
} from '@sabor/contracts';
import { moderationItems, moderationReports, users, type Executor } from '@sabor/db';
import { and, asc, count, desc, eq, exists, isNull, type SQL } from 'drizzle-orm';
import { latestEventId } from '../../live/outbox';
import { notFound } from '../../errors';
import * as commentRepository from '../comments/repository';
import { viewContext } from '../comments/thread-service';
import { toComment } from '../comments/view';
import { findItem, selectItemRows, toModerationItems } from './items';
import { loadModerationUser } from './users';

/** Replies shown with an item (its direct replies, oldest first). */
const repliesShown = 20;

function queueConditions(db: Executor, query: ModerationQueueQuery): SQL[] {
  const conditions = [eq(moderationItems.status, query.status)];
  if (query.consultationId) {
    conditions.push(eq(moderationItems.consultationId, query.consultationId));
  }
  if (query.cause) conditions.push(eq(moderationItems.cause, query.cause));
  if (query.reason) {
    // An item with an open report of that reason (moderation_reports_reason_idx).
    const openReport = db
      .select({ id: moderationReports.id })
      .from(moderationReports)
      .where(
        and(
          eq(moderationReports.reason, query.reason),
          eq(moderationReports.itemId, moderationItems.id),
          isNull(moderationReports.dismissedAt),
        ),
      );
    conditions.push(exists(openReport));
  }
  return conditions;
}

/**
 * How many items match, counting no further than one past the cap: a queue flooded with a
 * hundred thousand items costs its page what a queue of ten thousand does.
 */
async function countUpToCap(db: Executor, where: SQL | undefined): Promise<number> {
  const matching = db
    .select({ id: moderationItems.id })
    .from(moderationItems)
    .where(where)
    .limit(moderationQueueCountCap + 1)
    .as('matching');
  const [row] = await db.select({ value: count() }).from(matching);
  return row?.value ?? 0;
}

/**
 * A page of the queue: pending (or resolved) items, newest first (by when they entered the
 * queue) or most reported first, optionally of one consultation, cause or report reason. Both
 * orders walk an index of their own (moderation_items_queue_newest_idx / _reported_idx).
 * `lastEventId` is read before the page: subscribing to `moderation:queue` from it misses nothing
 * that changed after the read.
 */
export async function listQueue(
  db: Executor,
  query: ModerationQueueQuery,
  locale: Locale,
): Promise<ModerationQueue> {
  const lastEventId = await latestEventId(db);
  const where = and(...queueConditions(db, query));
  const orderBy =
    query.order === 'newest'
      ? [desc(moderationItems.enteredAt), desc(moderationItems.id)]
      : [
          desc(moderationItems.reportCount),
          desc(moderationItems.enteredAt),
          desc(moderationItems.id),
        ];
  const [rows, total] = await Promise.all([
    selectItemRows(db)
      .where(where)
      .orderBy(...orderBy)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    countUpToCap(db, where),
  ]);
  return {
    items: await toModerationItems(db, rows, locale),
    page: query.page,
    pageSize: query.pageSize,
    total: Math.min(total, moderationQueueCountCap),
    totalCapped: total > moderationQueueCountCap,
    lastEventId,
  };
}

/** Every report of an item, oldest first, with its reporter; dismissed ones are marked. */
async function listReports(db: Executor, itemId: string) {
  const rows = await db
    .select({
      report: moderationReports,
      reporter: { id: users.id, displayName: users.displayName },
    })
    .from(moderationReports)
    .innerJoin(users, eq(users.id, moderationReports.reporterId))
    .where(eq(moderationReports.itemId, itemId))
    .orderBy(asc(moderationReports.createdAt), asc(moderationReports.id));
  return rows.map(({ report, reporter }) => ({
    id: report.id,
    reason: report.reason,
    details: report.details,
    reporter,
    createdAt: report.createdAt.toISOString(),
    dismissed: report.dismissedAt !== null,
  }));
}

/**
 * One item with what a moderator weighs: the comment in context (its parent and first replies, as
 * moderators see them), every report with its reporter, and the author's history.
 */
export async function itemDetail(
  db: Executor,
  itemId: string,
  moderator: { id: string; isAdmin: boolean },
  locale: Locale,
): Promise<ModerationItemDetail> {
  const item = await findItem(db, eq(moderationItems.id, itemId), locale);
  if (!item) throw notFound();
  const comment = await commentRepository.findComment(db, item.comment.id);
  if (!comment) throw notFound();
  const [parent, replies, state] = await Promise.all([
    comment.parentId ? commentRepository.findCommentView(db, comment.parentId) : undefined,
    commentRepository.listDirectReplies(db, comment, repliesShown),
    commentRepository.findConsultationState(db, comment.consultationId),
  ]);
  const context = await viewContext(
    db,
    { userId: moderator.id, isAdmin: moderator.isAdmin, isModerator: true },
    parent ? [parent, ...replies] : replies,
    state === 'open',
  );
  const [reports, authorHistory] = await Promise.all([
    listReports(db, itemId),
    loadModerationUser(db, comment.authorId),
  ]);
  return {
    ...item,
    parent: parent ? toComment(parent, context) : null,
    replies: replies.map((reply) => toComment(reply, context)),
    reports,
    authorHistory,
  };
}
