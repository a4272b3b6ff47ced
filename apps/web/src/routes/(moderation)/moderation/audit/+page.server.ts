import { api } from '$lib/server/api';
import { dataOrError } from '$lib/server/load';
import { auditFilters } from './audit-filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const filters = auditFilters(event.url.searchParams);
  const list = dataOrError(
    await api.auditLog(event, { query: { ...filters.valid, page: filters.page, pageSize: 50 } }),
    event.url,
  );
  return { filters, list };
};
