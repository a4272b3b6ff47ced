import { createMigratedTestDatabase, type TestDatabase } from '@sabor/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsultation, connect, until } from '../../test/fixtures';
import {
  buildTestApp,
  relaxedModeration,
  setModerationSettings,
  signUp,
  type TestApp,
} from '../../test/helper';

/**
 * "A server restart loses nothing": a reader follows a thread, the server stops while comments
 * are still being written and starts again on the same database (a directory for the embedded
 * one, a database for PostgreSQL); the reader reconnects from its bookmark and gets every comment
 * after it exactly once, in order.
 */
describe('server restart', () => {
  let database: TestDatabase;
  const started: TestApp[] = [];

  beforeAll(async () => {
    database = await createMigratedTestDatabase();
  });
  afterAll(async () => {
    for (const app of started) await app.close();
    await database.drop();
  });

  /** One start of the server on the shared store. */
  async function start(): Promise<TestApp> {
    const app = await buildTestApp({}, undefined, {
      databaseUrl: database.databaseUrl,
      dataDir: database.dataDir,
    });
    started.push(app);
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    return app;
  }

  it('replays every comment written around a restart, once each, in order', async () => {
    let server = await start();
    // One brand-new resident posts seven comments within a minute.
    await setModerationSettings(server, relaxedModeration);
    const admin = await signUp(server, { role: 'admin' });
    const resident = await signUp(server);
    const { id: consultationId } = await openConsultation(server, admin.cookie, {
      titleBg: 'Рестарт',
    });
    const topic = `consultation:${consultationId}`;
    const post = async (app: TestApp, n: number) => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/consultations/${consultationId}/comments`,
        cookie: resident.cookie,
        payload: { body: `Коментар ${n}`, stance: 'neutral' },
      });
      expect(response.statusCode).toBe(201);
    };

    const reader = await connect(server);
    await reader.subscribe([topic]);
    for (let n = 1; n <= 3; n++) await post(server, n);
    // Comment events only: "from now" is where this instance's dispatch stood, so the
    // consultation's own opening event may come first.
    const commentEvents = (client: typeof reader) =>
      client
        .events(topic)
        .filter((event) => (event.payload as { type: string }).type === 'comment_created');
    await until(() => commentEvents(reader).length === 3, 'the first three comments');
    const bookmark = commentEvents(reader).at(-1)!.id!;

    // Two more are committed as the server goes down: the reader may or may not see them.
    for (let n = 4; n <= 5; n++) await post(server, n);
    reader.socket.terminate();
    await server.close();
    started.splice(started.indexOf(server), 1);

    server = await start();
    for (let n = 6; n <= 7; n++) await post(server, n);
    const again = await connect(server);
    await again.subscribe([topic], bookmark);
    try {
      await until(
        () => commentEvents(again).length >= 4,
        'the comments after the bookmark',
        30_000,
      );
    } catch (error) {
      throw new Error(`${String(error)}; received: ${JSON.stringify(again.received)}`);
    }
    // Anything more (a duplicate) would come with the replay, so before a comment posted now:
    // once that one is in, everything the replay sent is too.
    await post(server, 8);
    await until(() => commentEvents(again).length >= 5, 'the comment posted after the replay');
    // Everything after the bookmark, whatever its kind: exactly the four comments, then the fifth.
    const bodies = again
      .events(topic)
      .map((event) => (event.payload as { comment?: { body: string } }).comment?.body);
    expect(bodies).toEqual(['Коментар 4', 'Коментар 5', 'Коментар 6', 'Коментар 7', 'Коментар 8']);
    const ids = again.events(topic).map((event) => event.id!);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    expect(ids[0]).toBeGreaterThan(bookmark);
    again.socket.close();
  });
});
