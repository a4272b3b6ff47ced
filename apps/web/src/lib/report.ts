import type { ProposalDecision, ReportTotals } from '@sabor/contracts';

/*
 * Only types come from @sabor/contracts here: components import this module, and the contracts'
 * values would bring zod into the browser bundle.
 */

/** The decisions a published report can hold, in the order the totals list them. */
export const finalDecisions = ['accepted', 'partly_accepted', 'not_accepted'] as const;
const interimDecisions = ['under_review', 'received'] as const;

export const proposalDecisions: readonly ProposalDecision[] = [
  'received',
  'under_review',
  ...finalDecisions,
];

export function isFinal(decision: ProposalDecision | null | undefined): boolean {
  return (finalDecisions as readonly string[]).includes(decision ?? '');
}

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
    ...finalDecisions.map((decision) => ({ decision, count: totals.byDecision[decision] })),
    ...pending
      .map((decision) => ({ decision, count: totals.byDecision[decision] }))
      .filter((row) => row.count > 0),
  ];
}

/** The rows "by position": for, against, neutral, and "no position" only when there is one. */
export function stanceRows(
  totals: ReportTotals,
): { stance: 'for' | 'against' | 'neutral' | 'none'; count: number }[] {
  return (['for', 'against', 'neutral', 'none'] as const)
    .map((stance) => ({ stance, count: totals.byStance[stance] }))
    .filter((row) => row.stance !== 'none' || row.count > 0);
}
