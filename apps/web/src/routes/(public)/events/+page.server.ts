import { eventListQuerySchema, eventTypeSchema } from '@sabor/contracts';
import { api } from '$lib/server/api';
import { shareWithVisitors } from '$lib/server/shared-page';
import { pageNumber } from '$lib/server/list-query';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

const whenSchema = eventListQuerySchema.shape.when.removeDefault();

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const filters = {
    when: whenSchema.safeParse(params.get('when')).data ?? 'upcoming',
    type: eventTypeSchema.safeParse(params.get('type')).data,
    page: pageNumber(params.get('page')),
  };
  const list = dataOrError(
    await api.events(event, { query: { ...filters, pageSize: 10 } }),
    event.url,
  );
  shareWithVisitors(event);
  return { filters, list, types: eventTypeSchema.options };
};
