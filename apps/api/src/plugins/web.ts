import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { provideInProcessApi } from '@sabor/contracts/in-process';
import type { FastifyInstance } from 'fastify';
import { inProcessApi, renderPage } from './in-process';
import { isApiPath, sharedPageKey, type PageCache } from './page-cache';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

/** Headers through which the SvelteKit handler learns what Fastify resolved about the request. */
export const webForwardHeaders = {
  protocol: 'x-sabor-protocol',
  host: 'x-sabor-host',
  address: 'x-sabor-client-address',
} as const;

/** Finds apps/web/build by walking up from this module, for the one-process start. */
export function findWebBuild(start = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'apps', 'web', 'build');
    if (existsSync(join(candidate, 'handler.js'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Serves the SvelteKit app (adapter-node handler) for every path outside /api. The body stream is left
 * unread so SvelteKit form actions parse it themselves; the security headers helmet computed for the
 * request are copied over, except CSP, which SvelteKit sets (with the hashes of the page's inline
 * scripts). Anonymous public pages may be answered from `cache` (see page-cache.ts).
 */
export async function registerWebHandler(
  app: FastifyInstance,
  buildDir: string,
  cache: PageCache,
): Promise<void> {
  const handlerUrl = pathToFileURL(join(resolve(buildDir), 'handler.js')).href;
  // The pages' server code reaches the API through this, in process (no connection to our port).
  provideInProcessApi(inProcessApi(app));
  app.addHook('onClose', async () => provideInProcessApi(undefined));
  const { handler } = (await import(handlerUrl)) as { handler: NodeHandler };

  await app.register(async (web) => {
    web.removeAllContentTypeParsers();
    web.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    web.route({
      method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url: '/*',
      config: { access: 'public', rateLimit: false },
      handler: async (request, reply) => {
        if (isApiPath(request.url)) return reply.callNotFound();
        for (const [name, value] of Object.entries(reply.getHeaders())) {
          if (name !== 'content-security-policy' && value !== undefined) {
            reply.raw.setHeader(name, value);
          }
        }
        // adapter-node reads the page's protocol, host and client address from these headers (see
        // server.ts); Fastify has already decided them, honouring TRUST_PROXY. Client copies are replaced.
        request.raw.headers[webForwardHeaders.protocol] = request.protocol;
        request.raw.headers[webForwardHeaders.host] = request.host;
        request.raw.headers[webForwardHeaders.address] = request.ip;
        reply.hijack();
        const cacheKey = cache.enabled ? sharedPageKey(request.raw) : undefined;
        if (cacheKey !== undefined) {
          if (await cache.serve(cacheKey, reply.raw)) return;
          cache.capture(cacheKey, reply.raw);
        }
        const page = {
          sessionToken: request.cookies[app.sessionCookie.name],
          user: request.user,
          userRow: request.userRow,
          sessionId: request.sessionId,
          ip: request.ip,
          host: request.host,
          userAgent: request.headers['user-agent'],
        };
        renderPage(page, () =>
          handler(request.raw, reply.raw, () => {
            reply.raw.statusCode = 404;
            reply.raw.end();
          }),
        );
      },
    });
  });
}
