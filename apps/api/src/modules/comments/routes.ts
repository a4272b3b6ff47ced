import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { hasRole, requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import * as service from './service';
import * as thread from './thread-service';

const viewerOf = (request: FastifyRequest): thread.Viewer => ({
  userId: request.user?.id ?? null,
  isAdmin: hasRole(request.user, 'admin'),
  isModerator: hasRole(request.user, 'moderator'),
});

/** A consultation's thread: read it (anyone) and post to it (residents). */
export const commentThreadRoutes: FastifyPluginAsync<{ deps: service.CommentDeps }> = async (
  app,
  { deps },
) => {
  implement(app, routes.comments, async (request) =>
    thread.listComments(deps, request.params.id, request.query, viewerOf(request)),
  );

  implement(app, routes.commentReplies, async (request) =>
    thread.listReplies(
      deps,
      request.params.id,
      request.params.commentId,
      request.query,
      viewerOf(request),
    ),
  );

  implement(app, routes.postComment, async (request, reply) => {
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
  });
};

/** One's own comments and supports. */
export const commentRoutes: FastifyPluginAsync<{ deps: service.CommentDeps }> = async (
  app,
  { deps },
) => {
  implement(app, routes.editComment, async (request) =>
    service.editComment(deps, request.params.id, requireUser(request).id, request.body),
  );

  implement(app, routes.deleteComment, async (request) => {
    await service.deleteComment(deps, request.params.id, requireUser(request).id);
    return { ok: true as const };
  });

  implement(app, routes.supportComment, async (request) =>
    service.setSupport(deps, request.params.id, requireUser(request).id, true),
  );
  implement(app, routes.withdrawSupport, async (request) =>
    service.setSupport(deps, request.params.id, requireUser(request).id, false),
  );
};
