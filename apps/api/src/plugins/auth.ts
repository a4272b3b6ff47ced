import {
  localeCookieName,
  roleAtLeast,
  type Access,
  type Role,
  type SessionUser,
} from '@sabor/contracts';
import type { UserRow } from '@sabor/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, unauthorized } from '../errors';
import { toSessionUser, validateSessionToken } from '../modules/auth/session-service';
import { pageOf } from './in-process';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    userRow: UserRow | null;
    sessionId: string | null;
  }
  interface FastifyInstance {
    sessionCookie: {
      name: string;
      set(reply: FastifyReply, token: string, expiresAt: Date): void;
      clear(reply: FastifyReply): void;
    };
  }
}

const notInRouteTable = new Set(['/api/ws', '/api/openapi.json']);

export function hasRole(user: SessionUser | null, role: Role): boolean {
  return roleAtLeast(user?.role, role);
}

/** The signed-in user or a 401. */
export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

export const authPlugin = fp(
  async (app, options: { secureCookies: boolean }) => {
    // Per the session guide: __Host- prefix and Secure when served over HTTPS.
    const name = options.secureCookies ? '__Host-sabor_session' : 'sabor_session';
    const attributes = {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: options.secureCookies,
    };
    app.decorate('sessionCookie', {
      name,
      set(reply, token, expiresAt) {
        void reply.setCookie(name, token, { ...attributes, expires: expiresAt });
      },
      clear(reply) {
        void reply.setCookie(name, '', { ...attributes, maxAge: 0, expires: new Date(0) });
      },
    });

    app.decorateRequest('user', null);
    app.decorateRequest('userRow', null);
    app.decorateRequest('sessionId', null);

    app.addHook('onRoute', (route) => {
      const url = route.url ?? '';
      if (!url.startsWith('/api')) return;
      route.config ??= {};
      if (url.startsWith('/api/docs')) {
        route.config.access ??= 'public';
        return;
      }
      if (!route.config.access) {
        throw new Error(`Route ${String(route.method)} ${url} must declare config.access`);
      }
      // Every endpoint is declared once in the route table of @sabor/contracts and registered from
      // it (route.ts); only the live channel and the OpenAPI document itself are not endpoints.
      if (!route.config.contract && !notInRouteTable.has(url)) {
        throw new Error(`Route ${String(route.method)} ${url} is not in the route table`);
      }
    });

    // Who may call the route is decided before the body is even parsed.
    app.addHook('onRequest', async (request, reply) => {
      await resolveSession(request, reply);
      const access = request.routeOptions.config.access;
      if (!access || access === 'public') return;
      if (!request.user) throw unauthorized();
      if (access !== 'user' && !hasRole(request.user, access)) throw forbidden();
    });

    async function resolveSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const token = request.cookies[name];
      if (!token) return;
      // A page's own call to the API, in process, with the session the page request carried: the
      // page request looked it up already (and renewed its cookie if due).
      const page = pageOf(request);
      if (page && page.sessionToken === token) {
        if (!page.user || !page.userRow) return;
        request.user = page.user;
        request.userRow = page.userRow;
        request.sessionId = page.sessionId;
        if (!request.cookies[localeCookieName]) request.locale = page.userRow.locale;
        return;
      }
      const session = await validateSessionToken(app.db, token);
      if (!session) {
        app.sessionCookie.clear(reply);
        return;
      }
      request.user = toSessionUser(session.user);
      request.userRow = session.user;
      request.sessionId = session.id;
      // An explicit language choice in this browser wins over the account's saved language.
      if (!request.cookies[localeCookieName]) request.locale = session.user.locale;
      if (session.renewed) app.sessionCookie.set(reply, token, session.expiresAt);
    }
  },
  { name: 'auth', dependencies: ['@fastify/cookie', 'database', 'locale'] },
);
