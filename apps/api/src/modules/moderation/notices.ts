/**
 * Notices: what a person is told about the moderation of their comments and account.
 *
 *   sendNotice(tx, deps, notice) → { notice, mailed }
 *
 * Call it inside the transaction that makes the decision, so the notice, its mail and its live
 * event exist exactly when the decision commits. It
 * - inserts a `user_notices` row (the in-app notice, listed at GET /api/account/notices);
 * - queues a mail in the person's language, but only to a verified address: an unverified
 *   address may belong to someone who never signed up (as with follower mail), and the notice is
 *   in the app either way;
 * - publishes `{ type: 'notice', notice }` on the person's own live topic `user:<id>`.
 * A deleted account gets nothing. A suspended one still does: it is told about its comments when
 * it can sign in again.
 *
 * The mail sender is not woken here (the row is not committed yet): when `mailed` is true, the
 * caller calls `deps.onMailQueued?.()` after its transaction has committed.
 */
import {
  userTopic,
  type HideReasonCode,
  type HoldReason,
  type Locale,
  type UserLiveEvent,
  type UserNotice,
  type UserNoticeList,
} from '@sabor/contracts';
import { consultations, userNotices, users, type Executor, type UserNoticeRow } from '@sabor/db';
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Config } from '../../config';
import { publishLiveEvent } from '../../live/outbox';
import { consultationUrl } from '../follows/notify';
import { enqueueMail } from '../mail/outbox';
import { moderationMail, type ModerationMail } from './mails';

export interface NoticeDeps {
  config: Pick<Config, 'publicOrigin' | 'site'>;
}

/** What to tell whom. Comment notices name the consultation and comment; warnings carry `reasonText`. */
export interface NoticeInput {
  userId: string;
  kind: UserNotice['kind'];
  consultationId?: string | null;
  commentId?: string | null;
  /** comment_held: why it waits. */
  holdReason?: HoldReason | null;
  /** comment_hidden: the public reason template. */
  reasonCode?: HideReasonCode | null;
  /** comment_hidden: the moderator's words; warning: the reason. */
  reasonText?: string | null;
}

/** The consultation a notice is about, titled in the reader's language. */
export interface NoticeConsultation {
  id: string;
  slug: string | null;
  title: string;
}

/** The consultation columns a notice needs to be shown in either language. */
export const noticeConsultationColumns = {
  id: consultations.id,
  slug: consultations.slug,
  titleBg: consultations.titleBg,
  titleEn: consultations.titleEn,
};

type ConsultationTitles = {
  id: string;
  slug: string | null;
  titleBg: string;
  titleEn: string | null;
};

export function noticeConsultation(
  row: ConsultationTitles | null,
  locale: Locale,
): NoticeConsultation | null {
  if (!row) return null;
  const title = locale === 'en' ? (row.titleEn ?? row.titleBg) : row.titleBg;
  return { id: row.id, slug: row.slug, title };
}

export function toUserNotice(
  row: UserNoticeRow,
  consultation: NoticeConsultation | null,
): UserNotice {
  return {
    id: row.id,
    kind: row.kind,
    consultation,
    commentId: row.commentId,
    holdReason: row.holdReason,
    reasonCode: row.reasonCode,
    reasonText: row.reasonText,
    createdAt: row.createdAt.toISOString(),
    read: row.readAt !== null,
  };
}

/** The comment on its consultation's page. */
export function commentUrl(origin: string, consultationId: string, commentId: string): string {
  return `${consultationUrl(origin, consultationId)}#comment-${commentId}`;
}

export async function sendNotice(
  tx: Executor,
  deps: NoticeDeps,
  notice: NoticeInput,
): Promise<{ notice: UserNotice | null; mailed: boolean }> {
  const [recipient] = await tx.select().from(users).where(eq(users.id, notice.userId));
  if (!recipient || recipient.deletedAt) return { notice: null, mailed: false };

  const [consultation] = notice.consultationId
    ? await tx
        .select(noticeConsultationColumns)
        .from(consultations)
        .where(eq(consultations.id, notice.consultationId))
    : [];

  const [row] = await tx
    .insert(userNotices)
    .values({
      userId: notice.userId,
      kind: notice.kind,
      consultationId: consultation?.id ?? null,
      commentId: notice.commentId ?? null,
      holdReason: notice.holdReason ?? null,
      reasonCode: notice.reasonCode ?? null,
      reasonText: notice.reasonText ?? null,
    })
    .returning();
  if (!row) throw new Error('user notice insert returned no row');

  const locale = recipient.locale;
  const shown = noticeConsultation(consultation ?? null, locale);
  let mailed = false;
  if (recipient.emailVerifiedAt) {
    const template = mailFor(notice, deps, recipient.displayName, shown);
    if (template) {
      await enqueueMail(tx, {
        to: recipient.email,
        userId: recipient.id,
        locale,
        mail: moderationMail(template, locale, deps.config.site.name[locale]),
        siteName: deps.config.site.name[locale],
      });
      mailed = true;
    }
  }
  const userNotice = toUserNotice(row, shown);
  const event: UserLiveEvent = { type: 'notice', notice: userNotice };
  await publishLiveEvent(tx, userTopic(notice.userId), event);
  return { notice: userNotice, mailed };
}

/** The mail for a notice; none about a comment whose consultation is gone. */
function mailFor(
  notice: NoticeInput,
  deps: NoticeDeps,
  displayName: string,
  consultation: NoticeConsultation | null,
): ModerationMail | null {
  if (notice.kind === 'warning')
    return { kind: 'account_warning', displayName, reason: notice.reasonText ?? '' };
  if (!consultation) return null;
  const origin = deps.config.publicOrigin;
  const shared = {
    displayName,
    title: consultation.title,
    url: notice.commentId
      ? commentUrl(origin, consultation.id, notice.commentId)
      : consultationUrl(origin, consultation.id),
  };
  switch (notice.kind) {
    case 'comment_held':
      return { kind: 'comment_held', holdReason: notice.holdReason ?? null, ...shared };
    case 'comment_hidden':
      return {
        kind: 'comment_hidden',
        reasonCode: notice.reasonCode ?? null,
        reasonText: notice.reasonText ?? null,
        ...shared,
      };
    case 'comment_restored':
    case 'comment_approved':
      return { kind: notice.kind, ...shared };
  }
}

/** Notices listed to their owner (the newest). */
const noticesListed = 50;

/** A person's own notices, newest first, with how many are unread; nobody else's, ever. */
export async function listNotices(
  db: Executor,
  userId: string,
  locale: Locale,
): Promise<UserNoticeList> {
  const [rows, [unread]] = await Promise.all([
    db
      .select({ notice: userNotices, consultation: noticeConsultationColumns })
      .from(userNotices)
      .leftJoin(consultations, eq(consultations.id, userNotices.consultationId))
      .where(eq(userNotices.userId, userId))
      .orderBy(desc(userNotices.createdAt), desc(userNotices.id))
      .limit(noticesListed),
    db
      .select({ value: count() })
      .from(userNotices)
      .where(and(eq(userNotices.userId, userId), isNull(userNotices.readAt))),
  ]);
  return {
    items: rows.map((row) =>
      toUserNotice(row.notice, noticeConsultation(row.consultation, locale)),
    ),
    unread: unread?.value ?? 0,
  };
}

/** Marks every notice of the person read (a replay changes nothing) and lists them. */
export async function markNoticesRead(
  db: Executor,
  userId: string,
  locale: Locale,
): Promise<UserNoticeList> {
  await db
    .update(userNotices)
    .set({ readAt: sql`now()` })
    .where(and(eq(userNotices.userId, userId), isNull(userNotices.readAt)));
  return listNotices(db, userId, locale);
}
