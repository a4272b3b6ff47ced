import { surveyApi } from '$lib/server/api-surveys';
import { dataOrError } from '$lib/server/load';
import { groupSurveys } from '$lib/survey/list';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const list = dataOrError(await surveyApi.list(event), event.url);
  return { groups: groupSurveys(list.items, new Date()) };
};
