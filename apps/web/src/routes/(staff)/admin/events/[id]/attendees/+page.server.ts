import { registrationStatusSchema } from '@sabor/contracts';
import { api } from '$lib/server/api';
import { pageNumber, searchText } from '$lib/server/list-query';
import { dataOrError } from '$lib/server/load';
import { staffEvent } from '../staff-event';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const filters = {
    q: searchText(params.get('q')),
    status: registrationStatusSchema.safeParse(params.get('status')).data,
    page: pageNumber(params.get('page')),
  };
  const [info, list] = await Promise.all([
    staffEvent(event),
    api.attendees(event, {
      params: { id: event.params.id },
      query: { ...filters, q: filters.q || undefined, pageSize: 50 },
    }),
  ]);
  return {
    event: info,
    filters,
    list: dataOrError(list, event.url),
    statuses: registrationStatusSchema.options,
  };
};
