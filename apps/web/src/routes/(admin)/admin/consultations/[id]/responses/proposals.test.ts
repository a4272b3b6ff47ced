import type { CommentThread, ReportProposal } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import {
  fromComment,
  fromReportProposal,
  pageNumber,
  parseFilter,
  pendingPageOf,
  pendingProposals,
  responsesPageSize,
} from './proposals';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function proposal(n: number, decision: ReportProposal['decision']): ReportProposal {
  return {
    commentId: id(n),
    number: n,
    authorName: n === 2 ? null : `Автор ${n}`,
    createdAt: '2026-11-01T08:00:00.000Z',
    body: `Предложение ${n}`,
    stance: 'for',
    supportCount: n,
    versionNumber: 1,
    decision,
    reason: decision === 'accepted' ? 'Мотиви' : null,
  };
}

describe('staff responses list', () => {
  it('reads only "pending" as the pending filter', () => {
    expect(parseFilter('pending')).toBe('pending');
    expect(parseFilter(null)).toBe('all');
    expect(parseFilter('PENDING')).toBe('all');
    expect(parseFilter('<script>')).toBe('all');
  });

  it('takes a page number only when it is a whole number within the pages', () => {
    expect(pageNumber('2', 3)).toBe(2);
    expect(pageNumber('3', 3)).toBe(3);
    for (const bad of [null, '', '0', '-1', '4', '1.5', 'abc', '1e3']) {
      expect(pageNumber(bad, 3), String(bad)).toBe(1);
    }
  });

  it('lists as pending the proposals without a final decision, in report order', () => {
    const proposals = [
      proposal(1, 'accepted'),
      proposal(2, null),
      proposal(3, 'under_review'),
      proposal(4, 'received'),
    ];
    const pending = pendingProposals({
      proposals,
      missingDecisions: [id(4), id(2), id(3)],
    });
    expect(pending.map((p) => p.number)).toEqual([2, 3, 4]);
  });

  it('puts the proposal at each index of the pending list on its page', () => {
    expect(pendingPageOf(0)).toBe(1);
    expect(pendingPageOf(responsesPageSize - 1)).toBe(1);
    expect(pendingPageOf(responsesPageSize)).toBe(2);
  });

  it('shows a report proposal and a thread proposal the same way', () => {
    expect(fromReportProposal(proposal(2, null))).toMatchObject({
      id: id(2),
      number: 2,
      authorName: null,
      withdrawn: false,
      response: null,
    });
    expect(fromReportProposal(proposal(1, 'accepted')).response).toEqual({
      decision: 'accepted',
      reason: 'Мотиви',
      updatedAt: null,
    });

    const comment = {
      id: id(7),
      author: { id: id(70), displayName: 'Мария' },
      createdAt: '2026-11-02T08:00:00.000Z',
      body: 'Текст',
      stance: 'against',
      supportCount: 3,
      deleted: true,
      response: {
        commentId: id(7),
        decision: 'under_review',
        reason: null,
        createdAt: '2026-11-03T08:00:00.000Z',
        updatedAt: '2026-11-04T08:00:00.000Z',
      },
    } as unknown as CommentThread;
    expect(fromComment(comment)).toEqual({
      id: id(7),
      number: null,
      authorName: 'Мария',
      createdAt: '2026-11-02T08:00:00.000Z',
      body: 'Текст',
      stance: 'against',
      supportCount: 3,
      withdrawn: true,
      response: { decision: 'under_review', reason: null, updatedAt: '2026-11-04T08:00:00.000Z' },
    });
  });
});
