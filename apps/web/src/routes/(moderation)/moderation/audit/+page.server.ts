import { moderationApi } from '$lib/server/api-moderation';
import { dataOrError } from '$lib/server/load';
import { auditFilters } from './audit-filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const filters = auditFilters(event.url.searchParams);
  const list = dataOrError(
    await moderationApi.audit(event, { ...filters.valid, page: filters.page, pageSize: 50 }),
    event.url,
  );
  return { filters, list };
};
