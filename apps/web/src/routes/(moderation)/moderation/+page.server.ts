import {
  moderationCauseSchema,
  moderationQueueTopic,
  moderationQueueQuerySchema,
  reportReasonSchema,
} from '@sabor/contracts';
import { consultationTitle } from '$lib/consultations/consultation';
import { api } from '$lib/server/api';
import { pageNumber } from '$lib/server/list-query';
import { dataOrError } from '$lib/server/load';
import { decisionFormActions } from '$lib/moderation/moderation-actions.server';
import type { QueueFilters } from './live-queue.svelte';
import type { Actions, PageServerLoad } from './$types';

const pageSize = 25;
const fields = moderationQueueQuerySchema.shape;

/** The view asked for in the query string; a value the API would refuse counts as not given. */
function queueFilters(params: URLSearchParams): QueueFilters {
  const value = (name: string) => params.get(name) ?? undefined;
  return {
    status: fields.status.safeParse(value('status')).data ?? 'pending',
    order: fields.order.safeParse(value('order')).data ?? 'newest',
    consultationId: fields.consultationId.safeParse(value('consultationId')).data,
    cause: moderationCauseSchema.safeParse(value('cause')).data,
    reason: reportReasonSchema.safeParse(value('reason')).data,
    page: pageNumber(params.get('page')),
  };
}

export const load: PageServerLoad = async (event) => {
  const filters = queueFilters(event.url.searchParams);
  const [queue, stats, consultations] = await Promise.all([
    api.moderationQueue(event, { query: { ...filters, pageSize } }),
    api.moderationStats(event),
    // For the consultation filter: every published consultation (comments exist only there).
    api.consultations(event, { query: { pageSize: 100 } }),
  ]);
  return {
    filters,
    queue: dataOrError(queue, event.url),
    topic: moderationQueueTopic,
    // Without its statistics or the filter's list the queue is still worth working.
    stats: stats.ok ? stats.data : null,
    consultations: consultations.ok
      ? consultations.data.items.map((c) => ({
          id: c.id,
          ...consultationTitle(c, event.locals.locale),
        }))
      : [],
  };
};

export const actions: Actions = decisionFormActions;
