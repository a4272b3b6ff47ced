import {
  defaultLocale,
  moderationQueueTopic,
  type Locale,
  type ModeratedComment,
  type ModerationItem,
  type ModerationLiveEvent,
  type ReportReason,
} from '@sabor/contracts';
import {
  comments,
  consultations,
  moderationItems,
  moderationReports,
  users,
  type CommentRow,
  type Executor,
  type ModerationItemRow,
} from '@sabor/db';
import { and, count, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { publishLiveEvent } from '../../live/outbox';
import { renderMarkdown } from '../../markdown';
import { isSuspended } from '../auth/session-service';
import { shownState } from '../comments/view';
import type { Hold } from './holds';

const author = alias(users, 'author');
const decider = alias(users, 'decider');

/** One queue item with everything its view shows, in one row. */
const itemColumns = {
  item: moderationItems,
  comment: comments,
  author: {
    id: author.id,
    displayName: author.displayName,
    createdAt: author.createdAt,
    suspendedAt: author.suspendedAt,
    suspendedUntil: author.suspendedUntil,
  },
  consultation: {
    slug: consultations.slug,
    titleBg: consultations.titleBg,
    titleEn: consultations.titleEn,
  },
  decider: { id: decider.id, displayName: decider.displayName },
};

/**
 * Items with their comment, its author and consultation and the deciding moderator; the caller
 * adds conditions, order and paging to the returned query.
 */
export function selectItemRows(db: Executor) {
  return db
    .select(itemColumns)
    .from(moderationItems)
    .innerJoin(
      comments,
      and(eq(moderationItems.subjectType, 'comment'), eq(comments.id, moderationItems.subjectId)),
    )
    .innerJoin(author, eq(author.id, comments.authorId))
    .innerJoin(consultations, eq(consultations.id, comments.consultationId))
    .leftJoin(decider, eq(decider.id, moderationItems.decidedBy))
    .$dynamic();
}

type ItemRow = Awaited<ReturnType<ReturnType<typeof selectItemRows>['execute']>>[number];

/** Open (undismissed) reports of each item, by reason. */
async function openReportReasons(
  db: Executor,
  itemIds: string[],
): Promise<Map<string, Partial<Record<ReportReason, number>>>> {
  const byItem = new Map<string, Partial<Record<ReportReason, number>>>();
  if (itemIds.length === 0) return byItem;
  const rows = await db
    .select({
      itemId: moderationReports.itemId,
      reason: moderationReports.reason,
      count: count(),
    })
    .from(moderationReports)
    .where(and(inArray(moderationReports.itemId, itemIds), isNull(moderationReports.dismissedAt)))
    .groupBy(moderationReports.itemId, moderationReports.reason);
  for (const row of rows) {
    const reasons = byItem.get(row.itemId) ?? {};
    reasons[row.reason] = row.count;
    byItem.set(row.itemId, reasons);
  }
  return byItem;
}

/** A comment as moderators see it: the text is always there, hidden or held. */
function toModeratedComment(
  comment: CommentRow,
  item: ModerationItemRow,
  consultation: ItemRow['consultation'],
  locale: Locale,
): ModeratedComment {
  const state = shownState(comment);
  const deleted = comment.deletedAt !== null;
  return {
    id: comment.id,
    consultationId: comment.consultationId,
    consultationTitle:
      locale === 'en' ? (consultation.titleEn ?? consultation.titleBg) : consultation.titleBg,
    consultationSlug: consultation.slug,
    parentId: comment.parentId,
    depth: comment.depth,
    body: deleted ? '' : comment.body,
    bodyHtml: deleted ? '' : renderMarkdown(comment.body),
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt?.toISOString() ?? null,
    deleted,
    moderation: {
      state,
      reasonCode: state === 'hidden' ? comment.moderationReasonCode : null,
      reasonText: state === 'hidden' ? comment.moderationReasonText : null,
      holdReason: state === 'held' ? item.holdReason : null,
    },
  };
}

/** Turns item rows into the queue's view, with their open reports counted by reason. */
export async function toModerationItems(
  db: Executor,
  rows: ItemRow[],
  locale: Locale,
): Promise<ModerationItem[]> {
  const reasons = await openReportReasons(
    db,
    rows.map((row) => row.item.id),
  );
  return rows.map(({ item, comment, author: person, consultation, decider: decidedBy }) => ({
    id: item.id,
    subjectType: item.subjectType,
    comment: toModeratedComment(comment, item, consultation, locale),
    author: {
      id: person.id,
      displayName: person.displayName,
      accountCreatedAt: person.createdAt.toISOString(),
      suspended: isSuspended(person),
    },
    status: item.status,
    cause: item.cause,
    holdReason: item.holdReason,
    matchedWords: item.holdDetails?.words ?? [],
    reportCount: item.reportCount,
    reportReasons: reasons.get(item.id) ?? {},
    lastReportedAt: item.lastReportedAt?.toISOString() ?? null,
    enteredAt: item.enteredAt.toISOString(),
    decision: item.decision,
    decidedAt: item.decidedAt?.toISOString() ?? null,
    decidedBy: decidedBy?.id ? { id: decidedBy.id, displayName: decidedBy.displayName } : null,
  }));
}

/** One item's view, or undefined when there is no such item. */
export async function findItem(
  db: Executor,
  where: SQL,
  locale: Locale,
): Promise<ModerationItem | undefined> {
  const rows = await selectItemRows(db).where(where);
  const [item] = await toModerationItems(db, rows, locale);
  return item;
}

/**
 * Tells the moderators' open dashboards that an item entered the queue, changed or left it. Live
 * events have no reader, so consultation titles are in the default language.
 */
export async function publishItemChanged(tx: Executor, itemId: string): Promise<void> {
  const item = await findItem(tx, eq(moderationItems.id, itemId), defaultLocale);
  if (!item) throw new Error(`moderation item ${itemId} not found`);
  const event: ModerationLiveEvent = { type: 'item_changed', item };
  await publishLiveEvent(tx, moderationQueueTopic, event);
}

/** After an author edits or deletes a comment: its queue item (if it has one) shows the change. */
export async function publishCommentItemChanged(tx: Executor, commentId: string): Promise<void> {
  const [row] = await tx
    .select({ id: moderationItems.id })
    .from(moderationItems)
    .where(
      and(eq(moderationItems.subjectType, 'comment'), eq(moderationItems.subjectId, commentId)),
    );
  if (row) await publishItemChanged(tx, row.id);
}

/** A comment held at posting enters the queue. */
export async function enterHeldComment(
  tx: Executor,
  comment: Pick<CommentRow, 'id' | 'consultationId' | 'authorId'>,
  hold: Hold,
): Promise<string> {
  const [row] = await tx
    .insert(moderationItems)
    .values({
      subjectType: 'comment',
      subjectId: comment.id,
      consultationId: comment.consultationId,
      authorId: comment.authorId,
      cause: 'held',
      holdReason: hold.reason,
      holdDetails: hold.words.length > 0 ? { words: hold.words } : null,
    })
    .returning({ id: moderationItems.id });
  if (!row) throw new Error('moderation item insert returned no row');
  return row.id;
}

/** An author edited a held comment: the words it now contains replace those found before. */
export async function updateHeldWords(
  tx: Executor,
  commentId: string,
  words: string[],
): Promise<void> {
  await tx
    .update(moderationItems)
    .set({ holdDetails: words.length > 0 ? { words } : null })
    .where(
      and(eq(moderationItems.subjectType, 'comment'), eq(moderationItems.subjectId, commentId)),
    );
}
