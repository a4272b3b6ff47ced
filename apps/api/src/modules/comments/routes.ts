import {
  commentListQuerySchema,
  commentListSchema,
  commentParamsSchema,
  commentRepliesQuerySchema,
  commentRepliesSchema,
  commentSchema,
  commentSupportSchema,
  createCommentBodySchema,
  editCommentBodySchema,
  errorBodySchema,
  idParamsSchema,
  okSchema,
} from '@sabor/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasRole, requireUser } from '../../plugins/auth';
import * as service from './service';
import * as thread from './thread-service';

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};

const viewerOf = (request: FastifyRequest): thread.Viewer => ({
  userId: request.user?.id ?? null,
  isAdmin: hasRole(request.user, 'admin'),
  isModerator: hasRole(request.user, 'moderator'),
});

/** A consultation's thread: read it (anyone) and post to it (residents); under /api/consultations. */
export const commentThreadRoutes: FastifyPluginAsyncZod<{ deps: service.CommentDeps }> = async (
  app,
  { deps },
) => {
  app.get(
    '/:id/comments',
    {
      config: { access: 'public' },
      schema: {
        tags: ['comments'],
        summary: 'A page of proposals, newest, oldest or most supported first, with their replies',
        params: idParamsSchema,
        querystring: commentListQuerySchema,
        response: { 200: commentListSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) =>
      thread.listComments(deps, request.params.id, request.query, viewerOf(request)),
  );

  app.get(
    '/:id/comments/:commentId/replies',
    {
      config: { access: 'public' },
      schema: {
        tags: ['comments'],
        summary: 'More replies under one proposal (every depth, oldest first)',
        params: commentParamsSchema,
        querystring: commentRepliesQuerySchema,
        response: { 200: commentRepliesSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) =>
      thread.listReplies(
        deps,
        request.params.id,
        request.params.commentId,
        request.query,
        viewerOf(request),
      ),
  );

  app.post(
    '/:id/comments',
    {
      config: { access: 'user', idempotent: 'resumable' },
      schema: {
        tags: ['comments'],
        summary: 'Post a proposal (with a stance) or a reply while the consultation is open',
        params: idParamsSchema,
        body: createCommentBodySchema,
        // 429: a new account over its posting limits (comment_rate_limited).
        response: { 201: commentSchema, ...errors, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const authorId = requireUser(request).id;
      const committedId = request.idempotency?.committedId;
      const comment = committedId
        ? await service.postedComment(deps, committedId, authorId)
        : await service.createComment(
            deps,
            request.params.id,
            authorId,
            request.body,
            request.idempotency,
          );
      return reply.code(201).send(comment);
    },
  );
};

/** One's own comments and supports; under /api/comments. */
export const commentRoutes: FastifyPluginAsyncZod<{ deps: service.CommentDeps }> = async (
  app,
  { deps },
) => {
  app.patch(
    '/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['comments'],
        summary: 'Edit my comment within 15 minutes of posting it',
        params: idParamsSchema,
        body: editCommentBodySchema,
        response: { 200: commentSchema, ...errors },
      },
    },
    async (request) =>
      service.editComment(deps, request.params.id, requireUser(request).id, request.body),
  );

  app.delete(
    '/:id',
    {
      config: { access: 'user' },
      schema: {
        tags: ['comments'],
        summary: 'Delete my comment: the text goes, its place in the thread stays',
        params: idParamsSchema,
        response: { 200: okSchema, ...errors },
      },
    },
    async (request) => {
      await service.deleteComment(deps, request.params.id, requireUser(request).id);
      return { ok: true as const };
    },
  );

  for (const method of ['put', 'delete'] as const) {
    const support = method === 'put';
    app[method](
      '/:id/support',
      {
        config: { access: 'user' },
        schema: {
          tags: ['comments'],
          summary: support
            ? 'Support a comment (once per resident; again changes nothing)'
            : 'Withdraw my support of a comment',
          params: idParamsSchema,
          response: { 200: commentSupportSchema, ...errors },
        },
      },
      async (request) =>
        service.setSupport(deps, request.params.id, requireUser(request).id, support),
    );
  }
};
