import { consultationCategorySchema, consultationListQuerySchema } from '@sabor/contracts';
import { api } from '$lib/server/api';
import { shareWithVisitors } from '$lib/server/shared-page';
import { pageNumber, searchText } from '$lib/server/list-query';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

const stateFilterSchema = consultationListQuerySchema.shape.state.unwrap();

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const filters = {
    state: stateFilterSchema.safeParse(params.get('state')).data,
    category: consultationCategorySchema.safeParse(params.get('category')).data,
    q: searchText(params.get('q')),
    page: pageNumber(params.get('page')),
  };
  const list = dataOrError(
    await api.consultations(event, {
      query: { ...filters, q: filters.q || undefined, pageSize: 10 },
    }),
    event.url,
  );
  shareWithVisitors(event);
  return {
    filters,
    list,
    states: stateFilterSchema.options,
    categories: consultationCategorySchema.options,
  };
};
