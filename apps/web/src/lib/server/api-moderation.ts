import {
  auditListSchema,
  type auditQuerySchema,
  type moderationBulkBodySchema,
  moderationBulkResultSchema,
  type moderationDecisionBodySchema,
  moderationItemDetailSchema,
  moderationItemSchema,
  moderationQueueSchema,
  type moderationQueueQuerySchema,
  moderationStatsSchema,
  type moderationSuspendBodySchema,
  moderationUserSchema,
  type moderatorNoteBodySchema,
  moderatorNoteSchema,
  type warnUserBodySchema,
} from '@sabor/contracts';
import type { RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { apiRequest } from './api';

/*
 * The moderators' part of the typed API client (the dashboard's routes only), kept apart from
 * api.ts so the moderation pages are one folder's concern.
 */

type ApiEvent = Pick<RequestEvent, 'fetch' | 'cookies' | 'locals'>;
type Body<S extends z.ZodType> = z.input<S>;
type QueryOf<S extends z.ZodType> = {
  [K in keyof z.output<S>]?: Extract<z.output<S>[K], string | number>;
};
const id = (value: string) => encodeURIComponent(value);

/** Every moderation call the web pages make, typed by the contracts. */
export const moderationApi = {
  queue: (e: ApiEvent, query: QueryOf<typeof moderationQueueQuerySchema>) =>
    apiRequest(e, 'GET', '/api/moderation/items', moderationQueueSchema, { query }),
  item: (e: ApiEvent, itemId: string) =>
    apiRequest(e, 'GET', `/api/moderation/items/${id(itemId)}`, moderationItemDetailSchema),
  decide: (e: ApiEvent, itemId: string, body: Body<typeof moderationDecisionBodySchema>) =>
    apiRequest(e, 'POST', `/api/moderation/items/${id(itemId)}/decision`, moderationItemSchema, {
      body,
    }),
  decideMany: (e: ApiEvent, body: Body<typeof moderationBulkBodySchema>) =>
    apiRequest(e, 'POST', '/api/moderation/items/bulk', moderationBulkResultSchema, { body }),
  stats: (e: ApiEvent) => apiRequest(e, 'GET', '/api/moderation/stats', moderationStatsSchema),

  user: (e: ApiEvent, userId: string) =>
    apiRequest(e, 'GET', `/api/moderation/users/${id(userId)}`, moderationUserSchema),
  warn: (e: ApiEvent, userId: string, body: Body<typeof warnUserBodySchema>) =>
    apiRequest(e, 'POST', `/api/moderation/users/${id(userId)}/warn`, moderationUserSchema, {
      body,
    }),
  suspend: (e: ApiEvent, userId: string, body: Body<typeof moderationSuspendBodySchema>) =>
    apiRequest(e, 'POST', `/api/moderation/users/${id(userId)}/suspend`, moderationUserSchema, {
      body,
    }),
  unsuspend: (e: ApiEvent, userId: string) =>
    apiRequest(e, 'POST', `/api/moderation/users/${id(userId)}/unsuspend`, moderationUserSchema, {
      body: {},
    }),
  addNote: (e: ApiEvent, userId: string, body: Body<typeof moderatorNoteBodySchema>) =>
    apiRequest(e, 'POST', `/api/moderation/users/${id(userId)}/notes`, moderatorNoteSchema, {
      body,
    }),

  audit: (e: ApiEvent, query: QueryOf<typeof auditQuerySchema>) =>
    apiRequest(e, 'GET', '/api/moderation/audit', auditListSchema, { query }),
};
