import {
  currentSessionSchema,
  errorBodySchema,
  forgotPasswordBodySchema,
  loginBodySchema,
  okSchema,
  registerBodySchema,
  resetPasswordBodySchema,
  sessionUserSchema,
  setupBodySchema,
  tokenSchema,
  verifyEmailBodySchema,
} from '@sabor/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../plugins/auth';
import * as auth from './service';
import { invalidateSession, toSessionUser } from './session-service';

const userResponse = z.object({ user: sessionUserSchema });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  409: errorBodySchema,
  429: errorBodySchema,
};

function sessionMeta(request: FastifyRequest) {
  return { userAgent: request.headers['user-agent'], ip: request.ip };
}

/** Registration, sign-in, sign-out, email verification, password recovery and first-admin setup. */
export const authRoutes: FastifyPluginAsyncZod<{ deps: auth.AuthDeps }> = async (app, { deps }) => {
  function signIn(reply: FastifyReply, signedIn: auth.SignedIn) {
    app.sessionCookie.set(reply, signedIn.token, signedIn.expiresAt);
    return { user: toSessionUser(signedIn.user) };
  }

  app.get(
    '/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, or null',
        response: { 200: currentSessionSchema },
      },
    },
    async (request) => ({ user: request.user }),
  );

  app.post(
    '/register',
    {
      config: { access: 'public', idempotent: true, rateLimit: { max: 20, timeWindow: '1 hour' } },
      schema: {
        tags: ['auth'],
        summary: 'Create a resident account and sign in',
        body: registerBodySchema,
        response: { 201: userResponse, ...errors },
      },
    },
    async (request, reply) => {
      const signedIn = await auth.register(
        deps,
        request.body,
        sessionMeta(request),
        request.locale,
      );
      return reply.code(201).send(signIn(reply, signedIn));
    },
  );

  app.post(
    '/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: loginBodySchema,
        response: { 200: userResponse, ...errors },
      },
    },
    async (request, reply) => {
      const signedIn = await auth.login(
        deps,
        request.body.email,
        request.body.password,
        sessionMeta(request),
      );
      return signIn(reply, signedIn);
    },
  );

  app.post(
    '/logout',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 200: okSchema, 403: errorBodySchema },
      },
    },
    async (request, reply) => {
      if (request.sessionId) await invalidateSession(app.db, request.sessionId);
      app.sessionCookie.clear(reply);
      return { ok: true as const };
    },
  );

  app.post(
    '/verify-email',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Confirm an email address from the mailed link',
        body: verifyEmailBodySchema,
        response: { 200: okSchema, ...errors },
      },
    },
    async (request) => {
      await auth.verifyEmail(deps, request.body.token);
      return { ok: true as const };
    },
  );

  app.post(
    '/resend-verification',
    {
      config: { access: 'user', rateLimit: { max: 5, timeWindow: '1 hour' } },
      schema: {
        tags: ['auth'],
        summary: 'Mail a new verification link',
        response: { 200: okSchema, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      await auth.resendVerification(deps, request.userRow!);
      return { ok: true as const };
    },
  );

  app.post(
    '/forgot-password',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 hour' } },
      schema: {
        tags: ['auth'],
        summary: 'Mail a password reset link if the account exists',
        body: forgotPasswordBodySchema,
        response: { 200: okSchema, ...errors },
      },
    },
    async (request) => {
      await auth.forgotPassword(deps, request.body.email);
      return { ok: true as const };
    },
  );

  app.post(
    '/reset-password',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password from a reset link; ends all sessions',
        body: resetPasswordBodySchema,
        response: { 200: okSchema, ...errors },
      },
    },
    async (request, reply) => {
      await auth.resetPassword(deps, request.body.token, request.body.password);
      app.sessionCookie.clear(reply);
      return { ok: true as const };
    },
  );

  app.get(
    '/setup',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Whether a first-admin setup link is still valid',
        querystring: z.object({ token: tokenSchema }),
        response: { 200: z.object({ valid: z.boolean() }), 400: errorBodySchema },
      },
    },
    async (request) => ({ valid: await auth.isSetupTokenValid(deps, request.query.token) }),
  );

  app.post(
    '/setup',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Create the first admin from the one-time setup link',
        body: setupBodySchema,
        response: { 201: userResponse, ...errors },
      },
    },
    async (request, reply) => {
      const signedIn = await auth.completeSetup(
        deps,
        request.body,
        sessionMeta(request),
        request.locale,
      );
      return reply.code(201).send(signIn(reply, signedIn));
    },
  );
};
