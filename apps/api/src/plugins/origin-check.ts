import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../errors';
import { pageOf } from './in-process';

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

/**
 * Refuses state-changing requests that do not come from this site (cross-site request forgery), on
 * every path. Deciding by the raw URL (`/api/…`) let `/%61pi/…` through, since the router decodes
 * it onto the same route; no spelling can escape a check that does not look at the path. The pages
 * that share this server lose nothing: their forms post from this site (SvelteKit checks that too),
 * the pages' own calls to the API send this site's Origin, and nothing legitimate posts here from
 * another site.
 */
export const originCheckPlugin = fp(
  async (app, options: { publicOrigin: string }) => {
    app.addHook('onRequest', async (request) => {
      if (safeMethods.has(request.method)) return;
      // The pages' own calls in process act for a page request whose origin was checked here.
      if (pageOf(request)) return;
      if (!isSameOrigin(request, options.publicOrigin)) throw new ApiError(403, 'cross_origin');
    });
  },
  { name: 'origin-check' },
);
