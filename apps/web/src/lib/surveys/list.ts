import type { SurveyList } from '@sabor/contracts';

type SurveySummary = SurveyList['items'][number];

/** Where a survey belongs on the public list. */
export type SurveyGroup = 'open' | 'upcoming' | 'closed';

/**
 * The public list in the order people need it: open surveys first (closing soonest first), then
 * upcoming ones (opening soonest first), then closed ones (most recently closed first).
 */
export function groupSurveys(
  items: readonly SurveySummary[],
  now: Date,
): { group: SurveyGroup; items: SurveySummary[] }[] {
  const groupOf = (survey: SurveySummary): SurveyGroup => {
    if (survey.open) return 'open';
    if (survey.state === 'published' && survey.opensAt && new Date(survey.opensAt) > now) {
      return 'upcoming';
    }
    return 'closed';
  };
  const time = (iso: string | null, missing: number) => (iso ? Date.parse(iso) : missing);
  const order: Record<SurveyGroup, (a: SurveySummary, b: SurveySummary) => number> = {
    open: (a, b) => time(a.closesAt, Infinity) - time(b.closesAt, Infinity),
    upcoming: (a, b) => time(a.opensAt, Infinity) - time(b.opensAt, Infinity),
    closed: (a, b) =>
      time(b.closedAt ?? b.closesAt, -Infinity) - time(a.closedAt ?? a.closesAt, -Infinity),
  };
  return (['open', 'upcoming', 'closed'] as const)
    .map((group) => ({
      group,
      items: items.filter((survey) => groupOf(survey) === group).sort(order[group]),
    }))
    .filter((entry) => entry.items.length > 0);
}
