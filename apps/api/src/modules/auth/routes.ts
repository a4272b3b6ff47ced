import { routes } from '@sabor/contracts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requireUser } from '../../plugins/auth';
import { implement } from '../../route';
import * as auth from './service';
import { invalidateSession, toSessionUser } from './session-service';

function sessionMeta(request: FastifyRequest) {
  return { userAgent: request.headers['user-agent'], ip: request.ip };
}

/** Registration, sign-in, sign-out, email verification, password recovery and first-admin setup. */
export const authRoutes: FastifyPluginAsync<{ deps: auth.AuthDeps }> = async (app, { deps }) => {
  function signIn(reply: FastifyReply, signedIn: auth.SignedIn) {
    app.sessionCookie.set(reply, signedIn.token, signedIn.expiresAt);
    return { user: toSessionUser(signedIn.user) };
  }

  implement(app, routes.session, async (request) => ({ user: request.user }));

  implement(app, routes.register, async (request, reply) => {
    const signedIn = await auth.register(deps, request.body, sessionMeta(request), request.locale);
    return reply.code(201).send(signIn(reply, signedIn));
  });

  implement(app, routes.login, async (request, reply) => {
    const signedIn = await auth.login(
      deps,
      request.body.email,
      request.body.password,
      sessionMeta(request),
    );
    return signIn(reply, signedIn);
  });

  implement(app, routes.logout, async (request, reply) => {
    if (request.sessionId) await invalidateSession(app.db, request.sessionId);
    app.sessionCookie.clear(reply);
    return { ok: true as const };
  });

  implement(app, routes.verifyEmail, async (request) => {
    await auth.verifyEmail(deps, request.body.token);
    return { ok: true as const };
  });

  implement(app, routes.resendVerification, async (request) => {
    requireUser(request);
    await auth.resendVerification(deps, request.userRow!);
    return { ok: true as const };
  });

  implement(app, routes.forgotPassword, async (request) => {
    await auth.forgotPassword(deps, request.body.email);
    return { ok: true as const };
  });

  implement(app, routes.resetPassword, async (request, reply) => {
    await auth.resetPassword(deps, request.body.token, request.body.password);
    app.sessionCookie.clear(reply);
    return { ok: true as const };
  });

  implement(app, routes.setupStatus, async (request) => ({
    valid: await auth.isSetupTokenValid(deps, request.query.token),
  }));

  implement(app, routes.setup, async (request, reply) => {
    const signedIn = await auth.completeSetup(
      deps,
      request.body,
      sessionMeta(request),
      request.locale,
    );
    return reply.code(201).send(signIn(reply, signedIn));
  });
};
