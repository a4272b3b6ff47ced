import type { Locale } from '@sabor/contracts';
import {
  comments,
  consultationFollows,
  consultations,
  outboxMails,
  users,
  type Executor,
} from '@sabor/db';
import { and, eq, isNotNull, isNull, type SQL } from 'drizzle-orm';
import { renderMail } from '../mail/render';
import { followerMail, type FollowerMail } from './mails';

export type FollowerNotice =
  | { kind: 'consultation_closed'; consultationId: string }
  | { kind: 'report_published'; consultationId: string }
  | { kind: 'response_published'; consultationId: string; commentId: string };

export interface FollowerNoticeSettings {
  /** PUBLIC_ORIGIN: mailed links point here. */
  publicOrigin: string;
  /** The municipality's name in each language. */
  siteName: Record<Locale, string>;
}

let settings: FollowerNoticeSettings | undefined;

/**
 * Sets where mailed links point and the municipality's name. buildApp calls it once: the fixed
 * signature of notifyFollowers (a transaction and a notice, so any service can call it) leaves no
 * other way in, and every app in a process shares one configuration.
 */
export function configureFollowerNotices(value: FollowerNoticeSettings): void {
  settings = value;
}

/** Rows per INSERT: thousands of followers take a few statements, well under 65535 parameters. */
const rowsPerInsert = 1000;

/** The public page of a consultation. */
export const consultationUrl = (origin: string, id: string) => `${origin}/consultations/${id}`;

/** The one-click page that stops mails about one consultation, without signing in. */
export const unsubscribeUrl = (origin: string, token: string) =>
  `${origin}/follows/unsubscribe?token=${encodeURIComponent(token)}`;

/**
 * Queues a mail to each follower the notice concerns, in the follower's language, in the caller's
 * transaction (so the mails exist exactly when the change they announce commits). Closing and the
 * report go to every follower; a response goes only to the proposal's author, and only while they
 * follow. Recipients: accounts not deleted whose address is verified (an unverified address may
 * belong to someone who never signed up); suspended accounts still get mail, as the news is public
 * and the unsubscribe link works without signing in. Every mail carries an unsubscribe link.
 * The mail sender picks the rows up on its next poll.
 */
export async function notifyFollowers(tx: Executor, notice: FollowerNotice): Promise<void> {
  const [consultation] = await tx
    .select({
      titleBg: consultations.titleBg,
      titleEn: consultations.titleEn,
      closedReason: consultations.closedReason,
    })
    .from(consultations)
    .where(eq(consultations.id, notice.consultationId));
  if (!consultation) return;

  const conditions: SQL[] = [
    eq(consultationFollows.consultationId, notice.consultationId),
    isNull(users.deletedAt),
    isNotNull(users.emailVerifiedAt),
  ];
  let query = tx
    .select({
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      locale: users.locale,
      token: consultationFollows.unsubscribeToken,
    })
    .from(consultationFollows)
    .innerJoin(users, eq(users.id, consultationFollows.userId))
    .$dynamic();
  if (notice.kind === 'response_published') {
    query = query.innerJoin(
      comments,
      and(
        eq(comments.id, notice.commentId),
        eq(comments.consultationId, notice.consultationId),
        eq(comments.authorId, consultationFollows.userId),
      ),
    );
  }
  const recipients = await query.where(and(...conditions));
  if (recipients.length === 0) return;
  if (!settings) throw new Error('configureFollowerNotices() was not called');
  const { publicOrigin, siteName } = settings;

  const url = consultationUrl(publicOrigin, notice.consultationId);
  const rows = recipients.map((recipient) => {
    const shared = {
      displayName: recipient.displayName,
      title:
        recipient.locale === 'en'
          ? (consultation.titleEn ?? consultation.titleBg)
          : consultation.titleBg,
      url,
      unsubscribeUrl: unsubscribeUrl(publicOrigin, recipient.token),
    };
    const template: FollowerMail =
      notice.kind === 'consultation_closed'
        ? { kind: notice.kind, reason: consultation.closedReason, ...shared }
        : { kind: notice.kind, ...shared };
    const site = siteName[recipient.locale];
    const mail = renderMail(followerMail(template, recipient.locale, site), recipient.locale, {
      name: site,
    });
    return {
      to: recipient.email,
      userId: recipient.userId,
      ...mail,
      listUnsubscribe: shared.unsubscribeUrl,
    };
  });
  for (let start = 0; start < rows.length; start += rowsPerInsert) {
    await tx.insert(outboxMails).values(rows.slice(start, start + rowsPerInsert));
  }
}
