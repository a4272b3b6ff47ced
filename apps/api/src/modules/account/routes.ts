import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { unauthorized } from '../../errors';
import { fileHeaders } from '../../file-answer';
import { implement } from '../../route';
import type { AuthDeps } from '../auth/service';
import { invalidateUserSessions } from '../auth/session-service';
import * as account from './service';

function signedIn(request: FastifyRequest) {
  if (!request.userRow || !request.sessionId) throw unauthorized();
  return { user: request.userRow, sessionId: request.sessionId };
}

/** The signed-in person's profile, password, sessions and personal data. */
export const accountRoutes: FastifyPluginAsync<{ deps: AuthDeps }> = async (app, { deps }) => {
  implement(app, routes.account, async (request) => account.toProfile(signedIn(request).user));

  implement(app, routes.updateAccount, async (request) =>
    account.updateProfile(deps, signedIn(request).user.id, request.body),
  );

  implement(app, routes.changePassword, async (request) => {
    const { user, sessionId } = signedIn(request);
    await account.changePassword(
      deps,
      user,
      sessionId,
      request.body.currentPassword,
      request.body.newPassword,
    );
    return { ok: true as const };
  });

  implement(app, routes.sessions, async (request) => {
    const { user, sessionId } = signedIn(request);
    return { sessions: await account.sessionsOf(deps, user.id, sessionId) };
  });

  implement(app, routes.revokeOtherSessions, async (request) => {
    const { user, sessionId } = signedIn(request);
    return { revoked: await invalidateUserSessions(app.db, user.id, sessionId) };
  });

  implement(app, routes.revokeSession, async (request, reply) => {
    const { user, sessionId } = signedIn(request);
    await account.revokeSession(deps, user.id, request.params.id);
    if (request.params.id === sessionId) app.sessionCookie.clear(reply);
    return { ok: true as const };
  });

  implement(app, routes.exportData, async (request, reply) => {
    const { user, sessionId } = signedIn(request);
    fileHeaders(reply, { fileName: 'sabor-my-data.json', cache: 'no-store' });
    return account.exportData(deps, user, sessionId);
  });

  implement(app, routes.deleteAccount, async (request, reply) => {
    await account.deleteAccount(deps, signedIn(request).user, request.body.password);
    app.sessionCookie.clear(reply);
    return { ok: true as const };
  });
};
