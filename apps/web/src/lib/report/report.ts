import type { CommentStance, ProposalDecision, ReportTotals } from '@sabor/contracts';
import { commentStances, finalProposalDecisions } from '@sabor/contracts/values';

/*
 * Components import this module: values come from the zod-free entry of @sabor/contracts, only
 * types from its root (whose values would bring zod into the browser bundle).
 */

/** The pending decisions in the order the totals list them, after the final ones. */
const interimDecisions = [
  'under_review',
  'received',
] as const satisfies readonly ProposalDecision[];

/** The badge colour of a decision: green accepted, blue partly, red not accepted, grey pending. */
export function decisionBadge(decision: ProposalDecision | null): string {
  if (decision === 'accepted') return 'badge badge-ok';
  if (decision === 'partly_accepted') return 'badge badge-info';
  if (decision === 'not_accepted') return 'badge badge-warn';
  return 'badge';
}

/**
 * The rows "by decision" of the totals: the three final decisions always; the pending ones and
 * "no response" only when some proposal is in that state (which only a preview can show).
 */
export function decisionRows(
  totals: ReportTotals,
): { decision: ProposalDecision | 'none'; count: number }[] {
  const pending = [...interimDecisions, 'none'] as const;
  return [
    ...finalProposalDecisions.map((decision) => ({ decision, count: totals.byDecision[decision] })),
    ...pending
      .map((decision) => ({ decision, count: totals.byDecision[decision] }))
      .filter((row) => row.count > 0),
  ];
}

/** The rows "by position": for, against, neutral, and "no position" only when there is one. */
export function stanceRows(
  totals: ReportTotals,
): { stance: CommentStance | 'none'; count: number }[] {
  return [...commentStances, 'none' as const]
    .map((stance) => ({ stance, count: totals.byStance[stance] }))
    .filter((row) => row.stance !== 'none' || row.count > 0);
}
