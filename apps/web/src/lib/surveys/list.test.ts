import type { SurveyList } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import { groupSurveys } from './list';

type Summary = SurveyList['items'][number];

const survey = (id: string, extra: Partial<Summary>): Summary => ({
  id,
  titleBg: id,
  titleEn: null,
  introBg: '',
  introEn: null,
  thankYouBg: '',
  thankYouEn: null,
  introBgHtml: '',
  introEnHtml: null,
  thankYouBgHtml: '',
  thankYouEnHtml: null,
  opensAt: null,
  closesAt: null,
  audience: 'anyone',
  resultsVisibility: 'live',
  state: 'published',
  open: false,
  resultsPublic: false,
  responseCount: 0,
  structureLocked: false,
  publishedAt: null,
  closedAt: null,
  ...extra,
});

describe('groupSurveys', () => {
  it('lists open surveys first, then upcoming, then closed, leaving out empty groups', () => {
    const now = new Date('2026-05-01T10:00:00Z');
    const groups = groupSurveys(
      [
        survey('closed-old', { state: 'closed', closedAt: '2026-01-01T00:00:00Z' }),
        survey('upcoming', { opensAt: '2026-06-01T00:00:00Z' }),
        survey('open-late', { open: true, closesAt: '2026-09-01T00:00:00Z' }),
        survey('closed-new', { state: 'closed', closedAt: '2026-04-01T00:00:00Z' }),
        survey('open-soon', { open: true, closesAt: '2026-05-02T00:00:00Z' }),
        survey('past-date', { closesAt: '2026-04-20T00:00:00Z' }),
      ],
      now,
    );
    expect(groups.map((g) => [g.group, g.items.map((s) => s.id)])).toEqual([
      ['open', ['open-soon', 'open-late']],
      ['upcoming', ['upcoming']],
      ['closed', ['past-date', 'closed-new', 'closed-old']],
    ]);
    expect(groupSurveys([], now)).toEqual([]);
  });
});
