import type { ProposalDecision, ProposalResponse } from '@sabor/contracts';
import {
  comments,
  consultationReports,
  consultations,
  proposalResponses,
  users,
  type ConsultationReportRow,
  type ConsultationRow,
  type Executor,
  type ProposalResponseRow,
} from '@sabor/db';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';

export function toProposalResponse(row: ProposalResponseRow): ProposalResponse {
  return {
    commentId: row.commentId,
    decision: row.decision,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The official responses of the given comments (those that have one), for joining into comment
 * views. Comments without a response are simply absent.
 */
export async function listResponses(
  db: Executor,
  commentIds: readonly string[],
): Promise<ProposalResponse[]> {
  if (commentIds.length === 0) return [];
  const rows = await db
    .select()
    .from(proposalResponses)
    .where(inArray(proposalResponses.commentId, [...commentIds]));
  return rows.map(toProposalResponse);
}

/** Every response to the proposals of one consultation, oldest proposal first. */
export async function listConsultationResponses(
  db: Executor,
  consultationId: string,
): Promise<ProposalResponse[]> {
  const rows = await db
    .select({ response: proposalResponses })
    .from(proposalResponses)
    .innerJoin(comments, eq(comments.id, proposalResponses.commentId))
    .where(and(eq(comments.consultationId, consultationId), isNull(comments.parentId)))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  return rows.map((row) => toProposalResponse(row.response));
}

export interface CommentTarget {
  id: string;
  consultationId: string;
  parentId: string | null;
  deletedAt: Date | null;
}

const commentTarget = {
  id: comments.id,
  consultationId: comments.consultationId,
  parentId: comments.parentId,
  deletedAt: comments.deletedAt,
};

export async function findComment(db: Executor, id: string): Promise<CommentTarget | undefined> {
  const [row] = await db.select(commentTarget).from(comments).where(eq(comments.id, id));
  return row;
}

/** The comment, share-locked so that its author cannot delete it until this transaction ends. */
export async function lockCommentShared(
  tx: Executor,
  id: string,
): Promise<CommentTarget | undefined> {
  const [row] = await tx
    .select(commentTarget)
    .from(comments)
    .where(eq(comments.id, id))
    .for('share');
  return row;
}

/**
 * The consultation, share-locked: responses to its proposals may be written side by side, but
 * publishing the report (which takes the row for update) waits for them, and they for it.
 */
export async function lockConsultationShared(
  tx: Executor,
  id: string,
): Promise<ConsultationRow | undefined> {
  const [row] = await tx.select().from(consultations).where(eq(consultations.id, id)).for('share');
  return row;
}

export async function findResponse(
  db: Executor,
  commentId: string,
): Promise<ProposalResponseRow | undefined> {
  const [row] = await db
    .select()
    .from(proposalResponses)
    .where(eq(proposalResponses.commentId, commentId));
  return row;
}

export async function upsertResponse(
  tx: Executor,
  input: {
    commentId: string;
    decision: ProposalDecision;
    reason: string | null;
    respondedBy: string;
  },
): Promise<ProposalResponseRow> {
  const [row] = await tx
    .insert(proposalResponses)
    .values(input)
    .onConflictDoUpdate({
      target: proposalResponses.commentId,
      set: {
        decision: input.decision,
        reason: input.reason,
        respondedBy: input.respondedBy,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  if (!row) throw new Error('proposal response upsert returned no row');
  return row;
}

export interface ProposalRow {
  id: string;
  createdAt: Date;
  deletedAt: Date | null;
  moderationState: 'visible' | 'held' | 'hidden';
  body: string;
  stance: 'for' | 'against' | 'neutral' | null;
  supportCount: number;
  versionNumber: number;
  authorName: string;
  authorDeletedAt: Date | null;
  decision: ProposalDecision | null;
  reason: string | null;
}

/** Every proposal (top-level comment) of a consultation with its author and response, oldest first. */
export async function listProposals(db: Executor, consultationId: string): Promise<ProposalRow[]> {
  return db
    .select({
      id: comments.id,
      createdAt: comments.createdAt,
      deletedAt: comments.deletedAt,
      moderationState: comments.moderationState,
      body: comments.body,
      stance: comments.stance,
      supportCount: comments.supportCount,
      versionNumber: comments.versionNumber,
      authorName: users.displayName,
      authorDeletedAt: users.deletedAt,
      decision: proposalResponses.decision,
      reason: proposalResponses.reason,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .leftJoin(proposalResponses, eq(proposalResponses.commentId, comments.id))
    .where(and(eq(comments.consultationId, consultationId), isNull(comments.parentId)))
    .orderBy(asc(comments.createdAt), asc(comments.id));
}

export async function findReport(
  db: Executor,
  consultationId: string,
): Promise<ConsultationReportRow | undefined> {
  const [row] = await db
    .select()
    .from(consultationReports)
    .where(eq(consultationReports.consultationId, consultationId));
  return row;
}

export async function insertReport(
  tx: Executor,
  input: { consultationId: string; summary: string; publishedBy: string },
): Promise<ConsultationReportRow> {
  const [row] = await tx.insert(consultationReports).values(input).returning();
  if (!row) throw new Error('report insert returned no row');
  return row;
}

export async function markReportPublished(tx: Executor, consultationId: string): Promise<void> {
  await tx
    .update(consultations)
    .set({ state: 'report_published', updatedAt: sql`now()` })
    .where(eq(consultations.id, consultationId));
}
