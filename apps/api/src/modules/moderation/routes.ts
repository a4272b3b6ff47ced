import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync } from 'fastify';
import { hasRole, requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import type { CommentDeps } from '../comments/service';
import { decideItem, decideItems } from './decisions';
import { itemDetail, listQueue } from './queue';
import { reportComment, reportReceipt } from './reports';
import { loadSettings, toModerationSettings, updateSettings, type SettingsCache } from './settings';

/** Residents report comments. */
export const commentReportRoutes: FastifyPluginAsync<{ deps: CommentDeps }> = async (
  app,
  { deps },
) => {
  implement(app, routes.reportComment, async (request, reply) => {
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
  });
};

/** The moderators' queue and decisions, and the automatic protection's settings. */
export const moderationRoutes: FastifyPluginAsync<{
  deps: CommentDeps;
  settings: SettingsCache;
}> = async (app, { deps, settings }) => {
  implement(app, routes.moderationQueue, async (request) =>
    listQueue(deps.db, request.query, request.locale),
  );

  implement(app, routes.moderationItem, async (request) => {
    const user = requireUser(request);
    return itemDetail(
      deps.db,
      request.params.id,
      { id: user.id, isAdmin: hasRole(user, 'admin') },
      request.locale,
    );
  });

  implement(app, routes.decideModerationItem, async (request) =>
    decideItem(deps, request.params.id, requireUser(request).id, request.body, request.locale),
  );

  implement(app, routes.decideModerationItems, async (request) =>
    decideItems(
      deps,
      request.body.itemIds,
      requireUser(request).id,
      request.body.decision,
      request.locale,
    ),
  );

  implement(app, routes.moderationSettings, async () =>
    toModerationSettings(await loadSettings(deps.db)),
  );

  implement(app, routes.saveModerationSettings, async (request) => {
    const saved = await updateSettings(deps.db, requireUser(request).id, request.body);
    settings.forget();
    return saved;
  });
};
