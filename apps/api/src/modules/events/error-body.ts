import type { FastifyInstance, RouteOptions } from 'fastify';
import type { z } from 'zod';

/**
 * Lets `implement` register a route whose error answer says more than `error` (which
 * registration already exists, whose ticket a refused check-in is): its response schema for
 * `status` becomes `schema`, so the extra fields are documented and sent, not stripped.
 */
export function withErrorBody(app: FastifyInstance, status: number, schema: z.ZodType) {
  return {
    route: (options: RouteOptions) =>
      app.route({
        ...options,
        schema: {
          ...options.schema,
          response: { ...(options.schema?.response as object), [status]: schema },
        },
      }),
  };
}
