import { constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { createDatabase, type Database, type DatabaseHandle } from '@sabor/db';
import fp from 'fastify-plugin';
import { serveControlSocket } from '../operations/control-socket';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    database: DatabaseHandle;
  }
}

const gzipAsync = promisify(gzip);

/**
 * Opens the database, applies migrations, and closes it when the app closes. The embedded database
 * on disk also gets its control socket (operations/control-socket.ts): it refuses a second process
 * on the same directory and serves online backups.
 */
export const databasePlugin = fp(
  async (app, options: { databaseUrl: string | undefined; dataDir: string; poolSize: number }) => {
    let handle: DatabaseHandle | undefined;
    const onDisk = !options.databaseUrl && !options.dataDir.startsWith('memory://');
    const control = onDisk
      ? await serveControlSocket(
          options.dataDir,
          { backup: () => dumpEmbedded(handle) },
          (message) => app.log.warn(message),
        )
      : undefined;
    try {
      handle = createDatabase({
        databaseUrl: options.databaseUrl,
        dataDir: options.dataDir,
        poolSize: options.poolSize,
      });
      await handle.migrate();
    } catch (error) {
      control?.close();
      throw error;
    }
    const opened = handle;
    app.decorate('db', opened.db);
    app.decorate('database', opened);
    app.addHook('onClose', async () => {
      // A backup being sent finishes first: close() waits for open connections.
      if (control) await new Promise((done) => control.close(done));
      await opened.close();
    });
    app.log.info({ engine: opened.engine }, 'database ready');
  },
  { name: 'database' },
);

/**
 * A gzipped tarball of the embedded data directory. PGlite copies the files between two queries
 * (its query lock held, so for that moment nothing writes); a transaction still open then is absent
 * from the copy and everything committed is in it, in the write-ahead log if not yet in the tables,
 * as after a crash: opening the restored copy replays it. Compression runs after the lock is freed,
 * off the event loop.
 */
async function dumpEmbedded(handle: DatabaseHandle | undefined): Promise<Uint8Array> {
  if (!handle?.pglite) throw new Error('the embedded database is not open yet');
  const tarball = await handle.pglite.dumpDataDir('none');
  // The fastest level (a fresh database's 43 MB become 6 MB), in large output chunks: each chunk is
  // a trip through the event loop, which requests keep busy.
  return gzipAsync(new Uint8Array(await tarball.arrayBuffer()), {
    level: constants.Z_BEST_SPEED,
    chunkSize: 8 * 1024 * 1024,
  });
}
