import { api } from '$lib/server/api';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  mail: dataOrError(await api.outboxMail(event, { params: { id: event.params.id } }), event.url),
});
