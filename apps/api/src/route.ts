import {
  responseSchemas,
  type RouteBody,
  type RouteContract,
  type RouteParams,
  type RouteQuery,
  type RouteReply,
} from '@sabor/contracts';
import type { FastifyReply, FastifyRequest, RouteHandlerMethod, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route table entry this route implements (set only by `implement`). */
    contract?: RouteContract;
  }
}

/** A route's handler: validated input in, the contract's success answer (or a sent reply) out. */
export type RouteHandler<R extends RouteContract> = (
  request: FastifyRequest<{
    Params: RouteParams<R>;
    Querystring: RouteQuery<R>;
    Body: RouteBody<R>;
  }>,
  reply: FastifyReply,
) => Promise<RouteReply<R> | FastifyReply>;

interface RouteRegistrar {
  route(options: RouteOptions): unknown;
}

/**
 * Registers the handler of one route of the table in `@sabor/contracts`: method, path, access,
 * validation, response schemas, idempotency and rate limit all come from the declaration.
 */
export function implement<R extends RouteContract>(
  app: RouteRegistrar,
  route: R,
  handler: RouteHandler<R>,
): void {
  const { rateLimit } = route;
  app.route({
    method: route.method,
    url: route.path,
    config: {
      access: route.access,
      contract: route,
      ...(route.idempotent ? { idempotent: route.idempotent } : {}),
      ...(rateLimit === undefined ? {} : { rateLimit }),
    },
    schema: {
      tags: typeof route.tag === 'string' ? [route.tag] : [...route.tag],
      summary: route.summary,
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { querystring: route.query } : {}),
      ...(route.body ? { body: route.body } : {}),
      response: responseSchemas(route),
    },
    handler: handler as unknown as RouteHandlerMethod,
  });
}
