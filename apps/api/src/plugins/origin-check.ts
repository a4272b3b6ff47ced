import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../errors';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True when the request's Origin is this site: the configured PUBLIC_ORIGIN, or the host the request
 * was addressed to (X-Forwarded-Host from a trusted proxy, such as the web pages calling the API).
 */
export function isSameOrigin(request: FastifyRequest, publicOrigin: string): boolean {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return false;
  if (origin === publicOrigin) return true;
  try {
    const url = new URL(origin);
    return url.host === request.host && `${url.protocol.slice(0, -1)}` === request.protocol;
  } catch {
    return false;
  }
}

/** Refuses state-changing requests that do not come from this site (cross-site request forgery). */
export const originCheckPlugin = fp(
  async (app, options: { publicOrigin: string }) => {
    app.addHook('onRequest', async (request) => {
      if (safeMethods.has(request.method)) return;
      if (!request.url.startsWith('/api/')) return;
      if (!isSameOrigin(request, options.publicOrigin)) throw new ApiError(403, 'cross_origin');
    });
  },
  { name: 'origin-check' },
);
