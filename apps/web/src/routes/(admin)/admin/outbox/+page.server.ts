import { api } from '$lib/server/api';
import { dataOrError } from '$lib/server/load';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const requested = Number(params.get('page'));
  const filters = {
    to: params.get('to')?.trim() ?? '',
    page: Number.isInteger(requested) && requested >= 1 ? requested : 1,
  };
  const list = dataOrError(
    await api.outbox(event, { query: { page: filters.page, to: filters.to || undefined } }),
    event.url,
  );
  return { filters, list };
};
