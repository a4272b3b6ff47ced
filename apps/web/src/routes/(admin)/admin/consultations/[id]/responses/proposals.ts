import type {
  CommentStance,
  CommentThread,
  ProposalDecision,
  ReportProposal,
} from '@sabor/contracts';

/** Proposals shown per page, in both lists. */
export const responsesPageSize = 20;

/** Which proposals the staff page lists: all (the thread, oldest first) or those still pending. */
export type ResponsesFilter = 'all' | 'pending';

export function parseFilter(value: string | null): ResponsesFilter {
  return value === 'pending' ? 'pending' : 'all';
}

/** One proposal as the staff page shows it, whichever list it came from. */
export interface ProposalItem {
  id: string;
  /** Its number in the report (the pending list only; the thread pages do not count). */
  number: number | null;
  /** null when the author deleted their account. */
  authorName: string | null;
  createdAt: string;
  /** The Markdown as written. */
  body: string;
  stance: CommentStance | null;
  supportCount: number;
  /** Deleted by its author: it takes no response. */
  withdrawn: boolean;
  response: { decision: ProposalDecision; reason: string | null; updatedAt: string | null } | null;
}

export function fromComment(comment: CommentThread): ProposalItem {
  return {
    id: comment.id,
    number: null,
    authorName: comment.author.displayName,
    createdAt: comment.createdAt,
    body: comment.body,
    stance: comment.stance,
    supportCount: comment.supportCount,
    withdrawn: comment.deleted,
    response: comment.response
      ? {
          decision: comment.response.decision,
          reason: comment.response.reason,
          updatedAt: comment.response.updatedAt,
        }
      : null,
  };
}

export function fromReportProposal(proposal: ReportProposal): ProposalItem {
  return {
    id: proposal.commentId,
    number: proposal.number,
    authorName: proposal.authorName,
    createdAt: proposal.createdAt,
    body: proposal.body,
    stance: proposal.stance,
    supportCount: proposal.supportCount,
    withdrawn: false,
    response: proposal.decision
      ? { decision: proposal.decision, reason: proposal.reason, updatedAt: null }
      : null,
  };
}

/** A page number from the address: a whole number from 1 to `pages`, else 1. */
export function pageNumber(value: string | null, pages: number): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= pages ? page : 1;
}

/**
 * The proposals of a report preview still lacking a final decision, in report order: the list the
 * "without a final decision" filter pages through.
 */
export function pendingProposals(preview: {
  proposals: readonly ReportProposal[];
  missingDecisions: readonly string[];
}): ReportProposal[] {
  const missing = new Set(preview.missingDecisions);
  return preview.proposals.filter((proposal) => missing.has(proposal.commentId));
}

/** The page of the pending list on which the proposal at `index` of that list appears. */
export function pendingPageOf(index: number): number {
  return Math.floor(index / responsesPageSize) + 1;
}
