import { dataOrError } from '$lib/server/load';
import { api } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  list: dataOrError(await api.adminSurveys(event), event.url),
});
