import {
  consultationTopic,
  isFinalDecision,
  type ConsultationReport,
  type ConsultationReportPreview,
  type ProposalResponse,
  type ProposalResponseBody,
  type ProposalResponseList,
  type ReportProposal,
  type ReportTotals,
  type ResponsePublishedEvent,
} from '@sabor/contracts';
import type { ConsultationRow, Database, Executor } from '@sabor/db';
import { ApiError, notFound } from '../../errors';
import { markIdempotentWrite, type IdempotencyClaim } from '../../idempotency-mark';
import { publishLiveEvent } from '../../live/outbox';
import { renderDocumentMarkdown } from '../../markdown';
import { countParticipants } from '../../shared/consultation-stats';
import { recordAudit } from '../audit/record';
import * as consultationRepository from '../consultations/repository';
import { notifyFollowers } from '../follows/notify';
import * as repository from './repository';

export interface ReportDeps {
  db: Database;
  /** Wakes the mail sender after a commit that queued mails to followers. */
  onMailQueued?: () => void;
}

/**
 * Writes (or changes) the official response to a proposal. Only top-level comments that their
 * authors have not deleted, only while the consultation is open or closed: once the report is out
 * the responses in it are final.
 */
export async function respondToProposal(
  deps: ReportDeps,
  actorId: string,
  commentId: string,
  input: ProposalResponseBody,
): Promise<ProposalResponse> {
  const reason = input.reason ? input.reason : null;
  const response = await deps.db.transaction(async (tx) => {
    const found = await repository.findComment(tx, commentId);
    if (!found) throw notFound();
    // Consultation first, then the comment: the order every writer to both takes.
    const consultation = await repository.lockConsultationShared(tx, found.consultationId);
    const comment = await repository.lockCommentShared(tx, commentId);
    if (!consultation || !comment) throw notFound();
    if (consultation.state === 'report_published') {
      throw new ApiError(409, 'report_already_published');
    }
    if (consultation.state !== 'open' && consultation.state !== 'closed') {
      throw new ApiError(409, 'consultation_invalid_state');
    }
    if (comment.parentId !== null) throw new ApiError(409, 'response_not_on_proposal');
    if (comment.deletedAt !== null) throw new ApiError(409, 'comment_deleted');

    const previous = await repository.findResponse(tx, commentId);
    const row = await repository.upsertResponse(tx, {
      commentId,
      decision: input.decision,
      reason,
      respondedBy: actorId,
    });
    await recordAudit(tx, {
      actorId,
      action: previous ? 'proposal_response.changed' : 'proposal_response.published',
      targetType: 'comment',
      targetId: commentId,
      reason,
      details: {
        consultationId: consultation.id,
        decision: row.decision,
        ...(previous && { previousDecision: previous.decision, previousReason: previous.reason }),
      },
    });
    await notifyFollowers(tx, {
      kind: 'response_published',
      consultationId: consultation.id,
      commentId,
    });
    const result = repository.toProposalResponse(row);
    const event: ResponsePublishedEvent = {
      type: 'response_published',
      commentId,
      decision: result.decision,
      reason: result.reason,
      updatedAt: result.updatedAt,
    };
    await publishLiveEvent(tx, consultationTopic(consultation.id), event);
    return result;
  });
  deps.onMailQueued?.();
  return response;
}

/** A consultation the public may see (anything but a draft), or 404. */
async function publicConsultation(db: Executor, id: string): Promise<ConsultationRow> {
  const row = await consultationRepository.findConsultation(db, id);
  if (!row || row.state === 'draft') throw notFound();
  return row;
}

/** The official responses to every proposal of a public consultation. */
export async function listConsultationResponses(
  deps: ReportDeps,
  consultationId: string,
): Promise<ProposalResponseList> {
  await publicConsultation(deps.db, consultationId);
  return { items: await repository.listConsultationResponses(deps.db, consultationId) };
}

interface ReportBody {
  totals: ReportTotals;
  proposals: ReportProposal[];
  missingDecisions: string[];
}

/**
 * The proposals of a consultation as the report lists them: oldest first, without those their
 * authors deleted (counted as withdrawn) or moderators hid (counted as hidden), with the totals.
 * Held comments never reached the thread and are not proposals.
 */
async function assembleReport(db: Executor, consultationId: string): Promise<ReportBody> {
  const [rows, participants] = await Promise.all([
    repository.listProposals(db, consultationId),
    countParticipants(db, consultationId),
  ]);
  const totals: ReportTotals = {
    proposals: 0,
    withdrawn: 0,
    hidden: 0,
    byDecision: {
      accepted: 0,
      partly_accepted: 0,
      not_accepted: 0,
      under_review: 0,
      received: 0,
      none: 0,
    },
    byStance: { for: 0, against: 0, neutral: 0, none: 0 },
    participants,
  };
  const proposals: ReportProposal[] = [];
  const missingDecisions: string[] = [];
  for (const row of rows) {
    if (row.moderationState === 'held') continue;
    if (row.deletedAt !== null) {
      totals.withdrawn += 1;
      continue;
    }
    if (row.moderationState === 'hidden') {
      totals.hidden += 1;
      continue;
    }
    totals.proposals += 1;
    totals.byDecision[row.decision ?? 'none'] += 1;
    totals.byStance[row.stance ?? 'none'] += 1;
    if (!row.decision || !isFinalDecision(row.decision)) missingDecisions.push(row.id);
    proposals.push({
      commentId: row.id,
      number: proposals.length + 1,
      authorName: row.authorDeletedAt === null ? row.authorName : null,
      createdAt: row.createdAt.toISOString(),
      body: row.body,
      stance: row.stance,
      supportCount: row.supportCount,
      versionNumber: row.versionNumber,
      decision: row.decision,
      reason: row.reason,
    });
  }
  return { totals, proposals, missingDecisions };
}

function reportConsultation(row: ConsultationRow): ConsultationReport['consultation'] {
  return {
    id: row.id,
    titleBg: row.titleBg,
    titleEn: row.titleEn,
    responsibleUnit: row.responsibleUnit,
    opensAt: row.opensAt.toISOString(),
    closesAt: row.closesAt.toISOString(),
    closedReason: row.closedReason,
  };
}

/** The report as it would be published now, for staff, at any state after drafting. */
export async function previewReport(
  deps: ReportDeps,
  consultationId: string,
): Promise<ConsultationReportPreview> {
  const consultation = await consultationRepository.findConsultation(deps.db, consultationId);
  if (!consultation) throw notFound();
  const body = await assembleReport(deps.db, consultationId);
  return {
    consultation: reportConsultation(consultation),
    ...body,
    publishable: consultation.state === 'closed' && body.missingDecisions.length === 0,
  };
}

/**
 * Publishes the report of a closed consultation. Every proposal still in the thread must carry a
 * final decision (accepted, partly accepted or not accepted) with its reason: the report is the
 * municipality's account of what became of each one, so "received" or "under review" cannot stand
 * in it. The consultation row is locked for the whole transaction, so no response can change
 * between the check and the publication.
 */
export async function publishReport(
  deps: ReportDeps,
  actorId: string,
  consultationId: string,
  summary: string,
  claim: IdempotencyClaim | null = null,
): Promise<ConsultationReport> {
  const report = await deps.db.transaction(async (tx) => {
    const consultation = await consultationRepository.lockConsultation(tx, consultationId);
    if (!consultation) throw notFound();
    if (consultation.state === 'report_published') {
      throw new ApiError(409, 'report_already_published');
    }
    if (consultation.state !== 'closed') throw new ApiError(409, 'consultation_invalid_state');
    const body = await assembleReport(tx, consultationId);
    if (body.missingDecisions.length > 0) {
      throw new ApiError(409, 'report_incomplete', {
        proposals: {
          code: 'decisions_missing',
          params: { count: body.missingDecisions.length },
        },
      });
    }
    const row = await repository.insertReport(tx, {
      consultationId,
      summary,
      publishedBy: actorId,
    });
    await repository.markReportPublished(tx, consultationId);
    // One report per consultation: the consultation's id names it.
    await markIdempotentWrite(tx, claim, consultationId);
    await recordAudit(tx, {
      actorId,
      action: 'consultation.report_published',
      targetType: 'consultation',
      targetId: consultationId,
      details: { proposals: body.totals.proposals },
    });
    await notifyFollowers(tx, { kind: 'report_published', consultationId });
    const result: ConsultationReport = {
      consultation: reportConsultation(consultation),
      summary: { source: row.summary, html: renderDocumentMarkdown(row.summary) },
      publishedAt: row.publishedAt.toISOString(),
      totals: body.totals,
      proposals: body.proposals,
    };
    await publishLiveEvent(tx, consultationTopic(consultationId), {
      type: 'state_changed',
      state: 'report_published',
    });
    return result;
  });
  deps.onMailQueued?.();
  return report;
}

/** The published report; 404 until it is published (and for drafts and unknown ids). */
export async function getPublishedReport(
  deps: ReportDeps,
  consultationId: string,
): Promise<ConsultationReport> {
  const consultation = await consultationRepository.findConsultation(deps.db, consultationId);
  if (!consultation || consultation.state !== 'report_published') throw notFound();
  const row = await repository.findReport(deps.db, consultationId);
  if (!row) throw notFound();
  const body = await assembleReport(deps.db, consultationId);
  return {
    consultation: reportConsultation(consultation),
    summary: { source: row.summary, html: renderDocumentMarkdown(row.summary) },
    publishedAt: row.publishedAt.toISOString(),
    totals: body.totals,
    proposals: body.proposals,
  };
}
