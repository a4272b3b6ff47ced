import type { FollowStatus, UnsubscribeInfo, UnsubscribeResult } from '@sabor/contracts';
import { consultationFollows, consultations, type Database, type Executor } from '@sabor/db';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq } from 'drizzle-orm';
import { ApiError, notFound } from '../../errors';
import { markIdempotentWrite, type IdempotencyClaim } from '../../idempotency-mark';
import { consultationStateOf } from '../../shared/consultation-state';

export interface FollowDeps {
  db: Database;
}

interface Follower {
  id: string;
  isAdmin: boolean;
}

/**
 * The secret of a follow's unsubscribe link: 256 random bits, base32. It is stored as is, not
 * hashed: every mail to the follower must carry it, so the server has to be able to read it (the
 * mails in the outbox hold it in clear anyway), and all it can do is end one follow.
 */
export function generateUnsubscribeToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** A consultation one may follow: public ones. Drafts are 404 (409 for admins, who see them). */
async function followableConsultation(db: Executor, id: string, viewer: Follower): Promise<void> {
  const state = await consultationStateOf(db, id);
  if (!state) throw notFound();
  if (state === 'draft') {
    throw viewer.isAdmin ? new ApiError(409, 'consultation_invalid_state') : notFound();
  }
}

export async function follow(
  deps: FollowDeps,
  viewer: Follower,
  consultationId: string,
): Promise<FollowStatus> {
  await followableConsultation(deps.db, consultationId, viewer);
  await addFollow(deps.db, consultationId, viewer.id);
  return { following: true };
}

/**
 * Makes the user a follower (in the caller's transaction). Following twice keeps the first follow
 * and its token, so links in mails already sent stay valid.
 */
export async function addFollow(db: Executor, consultationId: string, userId: string) {
  await db
    .insert(consultationFollows)
    .values({ consultationId, userId, unsubscribeToken: generateUnsubscribeToken() })
    .onConflictDoNothing({
      target: [consultationFollows.consultationId, consultationFollows.userId],
    });
}

export async function unfollow(
  deps: FollowDeps,
  viewer: Follower,
  consultationId: string,
): Promise<FollowStatus> {
  await followableConsultation(deps.db, consultationId, viewer);
  await deps.db.delete(consultationFollows).where(followOf(consultationId, viewer.id));
  return { following: false };
}

export async function followStatus(
  deps: FollowDeps,
  viewer: Follower,
  consultationId: string,
): Promise<FollowStatus> {
  await followableConsultation(deps.db, consultationId, viewer);
  const [row] = await deps.db
    .select({ userId: consultationFollows.userId })
    .from(consultationFollows)
    .where(followOf(consultationId, viewer.id));
  return { following: row !== undefined };
}

const followOf = (consultationId: string, userId: string) =>
  and(
    eq(consultationFollows.consultationId, consultationId),
    eq(consultationFollows.userId, userId),
  );

/** What an unsubscribe link is about, for its confirmation page; 404 for an unknown token. */
export async function unsubscribeInfo(deps: FollowDeps, token: string): Promise<UnsubscribeInfo> {
  const [row] = await deps.db
    .select({
      consultationId: consultations.id,
      titleBg: consultations.titleBg,
      titleEn: consultations.titleEn,
    })
    .from(consultationFollows)
    .innerJoin(consultations, eq(consultations.id, consultationFollows.consultationId))
    .where(eq(consultationFollows.unsubscribeToken, token));
  if (!row) throw notFound();
  return row;
}

/**
 * Ends the follow the token belongs to, without a session. The follow and its token go together,
 * so using the link again answers 404 (a retry with the same Idempotency-Key replays the 200).
 */
export async function unsubscribe(
  deps: FollowDeps,
  token: string,
  claim: IdempotencyClaim | null = null,
): Promise<UnsubscribeResult> {
  return deps.db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(consultationFollows)
      .where(eq(consultationFollows.unsubscribeToken, token))
      .returning({ consultationId: consultationFollows.consultationId });
    if (!removed) throw notFound();
    await markIdempotentWrite(tx, claim, removed.consultationId);
    return unsubscribed(tx, removed.consultationId);
  });
}

/** What unsubscribing from a consultation answers (also to a retry whose first attempt committed). */
export async function unsubscribed(
  db: Executor,
  consultationId: string,
): Promise<UnsubscribeResult> {
  const [consultation] = await db
    .select({ titleBg: consultations.titleBg, titleEn: consultations.titleEn })
    .from(consultations)
    .where(eq(consultations.id, consultationId));
  if (!consultation) throw notFound();
  return { consultationId, ...consultation, following: false as const };
}
