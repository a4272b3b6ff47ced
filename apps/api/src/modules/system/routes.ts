import { routes } from '@sabor/contracts';
import { users } from '@sabor/db';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config';
import { implement } from '../../route';
import { version } from '../../version';

/** Health for load balancers and the municipality's identity for the web pages. */
export const systemRoutes: FastifyPluginAsync<{ config: Config }> = async (app, { config }) => {
  implement(app, routes.health, async (_request, reply) => {
    const up = await app.database.ping();
    return reply.code(up ? 200 : 503).send({
      status: up ? 'ok' : 'unavailable',
      database: up ? 'ok' : 'down',
      engine: app.database.engine,
      version,
    });
  });

  implement(app, routes.site, async () => {
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
  });
};
