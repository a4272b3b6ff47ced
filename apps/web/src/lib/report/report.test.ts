import type { ReportTotals } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import { decisionBadge, decisionRows, stanceRows } from './report';

function totals(byDecision: Partial<ReportTotals['byDecision']>, none = 0): ReportTotals {
  return {
    proposals: 3,
    withdrawn: 1,
    hidden: 0,
    participants: 5,
    byDecision: {
      accepted: 0,
      partly_accepted: 0,
      not_accepted: 0,
      under_review: 0,
      received: 0,
      none: 0,
      ...byDecision,
    },
    byStance: { for: 2, against: 1, neutral: 0, none },
  };
}

describe('report totals', () => {
  it('always list the three final decisions, and pending ones only when some proposal has one', () => {
    expect(decisionRows(totals({ accepted: 2, not_accepted: 1 }))).toEqual([
      { decision: 'accepted', count: 2 },
      { decision: 'partly_accepted', count: 0 },
      { decision: 'not_accepted', count: 1 },
    ]);
    expect(
      decisionRows(totals({ accepted: 1, under_review: 1, none: 1 })).map((r) => r.decision),
    ).toEqual(['accepted', 'partly_accepted', 'not_accepted', 'under_review', 'none']);
  });

  it('list "no position" only when a proposal has none', () => {
    expect(stanceRows(totals({})).map((r) => r.stance)).toEqual(['for', 'against', 'neutral']);
    expect(stanceRows(totals({}, 2)).at(-1)).toEqual({ stance: 'none', count: 2 });
  });
});

describe('decisions', () => {
  it('have a badge colour each, plain for those still pending', () => {
    expect(decisionBadge('accepted')).toBe('badge badge-ok');
    expect(decisionBadge('partly_accepted')).toBe('badge badge-info');
    expect(decisionBadge('not_accepted')).toBe('badge badge-warn');
    expect(decisionBadge('received')).toBe('badge');
    expect(decisionBadge(null)).toBe('badge');
  });
});
