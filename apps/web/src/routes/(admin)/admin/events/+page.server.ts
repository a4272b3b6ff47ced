import { eventStateSchema } from '@sabor/contracts';
import { api } from '$lib/server/api';
import { pageNumber } from '$lib/server/list-query';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const filters = {
    state: eventStateSchema.safeParse(params.get('state')).data,
    page: pageNumber(params.get('page')),
  };
  const list = dataOrError(
    await api.adminEvents(event, { query: { ...filters, pageSize: 20 } }),
    event.url,
  );
  return { filters, list, states: eventStateSchema.options };
};
