import { api } from '$lib/server/api';
import { shareWithVisitors } from '$lib/server/shared-page';
import { dataOrError } from '$lib/server/load';
import { groupSurveys } from '$lib/surveys/list';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const list = dataOrError(await api.surveys(event), event.url);
  shareWithVisitors(event);
  return { groups: groupSurveys(list.items, new Date()) };
};
