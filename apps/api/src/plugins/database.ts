import { createDatabase, type Database, type DatabaseHandle } from '@sabor/db';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    database: DatabaseHandle;
  }
}

/** Opens the database, applies migrations, and closes it when the app closes. */
export const databasePlugin = fp(
  async (app, options: { databaseUrl: string | undefined; dataDir: string; poolSize: number }) => {
    const handle = createDatabase({
      databaseUrl: options.databaseUrl,
      dataDir: options.dataDir,
      poolSize: options.poolSize,
    });
    await handle.migrate();
    app.decorate('db', handle.db);
    app.decorate('database', handle);
    app.addHook('onClose', async () => {
      await handle.close();
    });
    app.log.info({ engine: handle.engine }, 'database ready');
  },
  { name: 'database' },
);
