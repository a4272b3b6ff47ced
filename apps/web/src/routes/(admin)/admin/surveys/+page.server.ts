import { dataOrError } from '$lib/server/load';
import { surveyApi } from '$lib/server/api-surveys';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  list: dataOrError(await surveyApi.adminList(event), event.url),
});
