import { api } from '$lib/server/api';
import { shareWithVisitors } from '$lib/server/shared-page';
import { groupSurveys } from '$lib/surveys/list';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [open, surveys, events] = await Promise.all([
    api.consultations(event, { query: { state: 'open', pageSize: 3 } }),
    api.surveys(event),
    api.events(event, { query: { when: 'upcoming', page: 1, pageSize: 3 } }),
  ]);
  // The home page stays up when a list cannot be read; its section then says nothing is open.
  const openSurveys = surveys.ok
    ? (groupSurveys(surveys.data.items, new Date()).find((g) => g.group === 'open')?.items ?? [])
    : [];
  if (open.ok && surveys.ok && events.ok) shareWithVisitors(event);
  return {
    openConsultations: open.ok ? open.data : null,
    openSurveys: openSurveys.slice(0, 3),
    upcomingEvents: events.ok ? events.data.items : [],
  };
};
