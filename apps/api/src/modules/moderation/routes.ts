import {
  createReportBodySchema,
  errorBodySchema,
  idParamsSchema,
  idSchema,
  moderationBulkBodySchema,
  moderationBulkResultSchema,
  moderationDecisionBodySchema,
  moderationItemDetailSchema,
  moderationItemSchema,
  moderationQueueQuerySchema,
  moderationQueueSchema,
  moderationSettingsSchema,
  reportReceiptSchema,
} from '@sabor/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasRole, requireUser } from '../../plugins/auth';
import type { CommentDeps } from '../comments/service';
import { decideItem, decideItems } from './decisions';
import { itemDetail, listQueue } from './queue';
import { reportComment, reportReceipt } from './reports';
import { loadSettings, toModerationSettings, updateSettings } from './settings';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

/** Residents report comments; under /api/comments. */
export const commentReportRoutes: FastifyPluginAsyncZod<{ deps: CommentDeps }> = async (
  app,
  { deps },
) => {
  app.post(
    '/:commentId/reports',
    {
      config: { access: 'user', idempotent: 'resumable' },
      schema: {
        tags: ['moderation'],
        summary: 'Report a comment to the moderators (once per resident per comment)',
        params: z.object({ commentId: idSchema }),
        body: createReportBodySchema,
        response: { 201: reportReceiptSchema, ...errors },
      },
    },
    async (request, reply) => {
      const reporterId = requireUser(request).id;
      const committedId = request.idempotency?.committedId;
      const receipt = committedId
        ? await reportReceipt(deps, committedId, reporterId)
        : await reportComment(
            deps,
            request.params.commentId,
            reporterId,
            request.body,
            request.idempotency,
          );
      return reply.code(201).send(receipt);
    },
  );
};

/** The moderators' queue and decisions, and the automatic protection's settings; under /api/moderation. */
export const moderationRoutes: FastifyPluginAsyncZod<{ deps: CommentDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    '/items',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary:
          'The queue: reported, auto-hidden and held comments, newest or most reported first',
        querystring: moderationQueueQuerySchema,
        response: { 200: moderationQueueSchema, ...errors },
      },
    },
    async (request) => listQueue(deps.db, request.query, request.locale),
  );

  app.get(
    '/items/:id',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'One item in context: parent, replies, reports and the author’s history',
        params: idParamsSchema,
        response: { 200: moderationItemDetailSchema, ...errors },
      },
    },
    async (request) => {
      const user = requireUser(request);
      return itemDetail(
        deps.db,
        request.params.id,
        { id: user.id, isAdmin: hasRole(user, 'admin') },
        request.locale,
      );
    },
  );

  app.post(
    '/items/:id/decision',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'Approve, hide with a public reason, restore or mark reviewed',
        params: idParamsSchema,
        body: moderationDecisionBodySchema,
        response: { 200: moderationItemSchema, ...errors },
      },
    },
    async (request) =>
      decideItem(deps, request.params.id, requireUser(request).id, request.body, request.locale),
  );

  app.post(
    '/items/bulk',
    {
      config: { access: 'moderator' },
      schema: {
        tags: ['moderation'],
        summary: 'The same decision on up to 100 items, each decided on its own',
        body: moderationBulkBodySchema,
        response: { 200: moderationBulkResultSchema, ...errors },
      },
    },
    async (request) =>
      decideItems(
        deps,
        request.body.itemIds,
        requireUser(request).id,
        request.body.decision,
        request.locale,
      ),
  );

  app.get(
    '/settings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['moderation'],
        summary: 'The automatic protection: auto-hide, holds, word lists, rate limits',
        response: { 200: moderationSettingsSchema, ...errors },
      },
    },
    async () => toModerationSettings(await loadSettings(deps.db)),
  );

  app.put(
    '/settings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['moderation'],
        summary: 'Change the automatic protection (audited with the values before and after)',
        body: moderationSettingsSchema,
        response: { 200: moderationSettingsSchema, ...errors },
      },
    },
    async (request) => updateSettings(deps.db, requireUser(request).id, request.body),
  );
};
