import { errorBodySchema, healthSchema, siteSchema } from '@sabor/contracts';
import { users } from '@sabor/db';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../config';
import { version } from '../../version';

/** Health for load balancers and the municipality's identity for the web pages. */
export const systemRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  app.get(
    '/health',
    {
      config: { access: 'public', rateLimit: false },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database check',
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const up = await app.database.ping();
      return reply.code(up ? 200 : 503).send({
        status: up ? 'ok' : 'unavailable',
        database: up ? 'ok' : 'down',
        engine: app.database.engine,
        version,
      });
    },
  );

  app.get(
    '/site',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Municipality name, logo, colours and contacts',
        response: { 200: siteSchema, 500: errorBodySchema },
      },
    },
    async () => {
      const [admin] = await app.db
        .select({ id: users.id })
        .from(users)
        .where(eq(users.role, 'admin'))
        .limit(1);
      return {
        ...config.site,
        mailDelivery: config.smtpUrl ? ('smtp' as const) : ('outbox' as const),
        setupRequired: admin === undefined,
      };
    },
  );
};
