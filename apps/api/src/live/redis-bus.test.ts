import { randomUUID } from 'node:crypto';
import { liveEvents } from '@sabor/db';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, eventIdOf, publish, publishUnchecked, until } from '../../test/fixtures';
import { buildTestApp, type TestApp } from '../../test/helper';
import { decodePresence, type PresenceReport } from './bus';
import { liveChannel } from './outbox';
import { redisBus } from './redis-bus';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

// Like the browser tests: without a Redis these tests are skipped, except in CI, where .ci/run
// starts one and a missing Redis fails the run.
const redisReady = await redisAnswers();
if (!redisReady) {
  if (process.env.CI === 'true') throw new Error(`Redis is not answering at ${redisUrl}`);
  console.warn(`Redis is not answering at ${redisUrl}: the Redis bus tests are skipped`);
}

/** Env of an instance on the Redis bus; a prefix of its own keeps parallel runs apart. */
function redisEnv(prefix: string) {
  return { REDIS_URL: redisUrl, REDIS_CHANNEL_PREFIX: prefix };
}

/** No safety poll during these tests: whatever arrives came over Redis or its backfill. */
function withoutPoll(config: TestApp['config']) {
  config.live.pollIntervalMs = 3_600_000;
}

describe.runIf(redisReady)('the Redis bus', () => {
  const prefix = `sabor-test-${randomUUID()}:`;
  let t: TestApp;
  let admin: Redis;
  beforeAll(async () => {
    t = await buildTestApp(redisEnv(prefix), withoutPoll);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    admin = new Redis(redisUrl);
  });
  afterAll(async () => {
    await t.close();
    admin.disconnect();
  });

  it('announces the ids of committed events after the commit, never a rollback, and skips NOTIFY', async () => {
    const watcher = new Redis(redisUrl);
    const announced: string[] = [];
    const presence: PresenceReport[] = [];
    watcher.on('message', (channel: string, message: string) => {
      if (channel === `${prefix}live`) announced.push(message);
      const report = decodePresence(message);
      if (channel === `${prefix}presence` && report) presence.push(report);
    });
    await watcher.subscribe(`${prefix}live`, `${prefix}presence`);
    const notified: string[] = [];
    const unlisten = await t.app.database.listen(liveChannel, (id) => notified.push(id));
    try {
      const client = await connect(t);
      await client.subscribe(['consultation:redis-one']);
      const barrier = await connect(t);
      await barrier.subscribe(['consultation:redis-barrier']);

      const both = await t.app.db.transaction(async (tx) => {
        const first = await publishUnchecked(tx, 'consultation:redis-one', { n: 1 });
        const second = await publishUnchecked(tx, 'consultation:redis-one', { n: 2 });
        // Not before the commit: another instance would look for rows it cannot see yet. The
        // instance reports presence on the connection it announces on, and Redis keeps a
        // connection's messages in order: once the report sent after the barrier socket closes
        // (its topic has no follower left) has arrived, an announcement made before would have too.
        await barrier.close();
        await until(
          () =>
            presence.some((report) =>
              report.counts.some(([topic, n]) => topic === 'consultation:redis-barrier' && n === 0),
            ),
          'the presence report of the closed socket',
        );
        expect(announced).toEqual([]);
        return [first.row, second.row];
      });
      await until(() => announced.length === 1, 'the announcement');
      expect(announced).toEqual([both.join(',')]);

      await expect(
        t.app.db.transaction(async (tx) => {
          await publishUnchecked(tx, 'consultation:redis-one', { rolledBack: true });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      // Given the database rather than a transaction, it commits (and announces) on its own.
      const marker = await publishUnchecked(t.app.db, 'consultation:redis-one', { marker: true });
      await until(() => announced.length === 2, 'the second announcement');
      expect(announced[1]).toBe(String(marker.row));

      // This instance's own subscribers get them without waiting for the round trip.
      await until(() => client.events().length === 3, 'the three events');
      expect(client.events().map((m) => m.payload)).toEqual([{ n: 1 }, { n: 2 }, { marker: true }]);
      expect(notified).toEqual([]);
      client.socket.close();
    } finally {
      await unlisten();
      watcher.disconnect();
    }
  });

  it('ignores messages on its channel that are not event ids or presence reports', async () => {
    const client = await connect(t);
    await client.subscribe(['consultation:redis-hostile']);
    for (const message of ['', 'abc', '1,,2', '-1', '9'.repeat(40), '{"i":"x"}', '\u0000'])
      await admin.publish(`${prefix}live`, message);
    await admin.publish(`${prefix}presence`, '{"i":"x","c":[["consultation:redis-hostile",-5]]}');
    const marker = await publish(t, 'consultation:redis-hostile', { marker: true });
    await client.receivedEvent(marker.id);
    expect(client.events()).toHaveLength(1);
    client.socket.close();
  });

  it('refuses to start when Redis cannot be reached', async () => {
    const bus = redisBus({
      url: 'redis://127.0.0.1:1',
      prefix,
      db: t.app.db,
      instance: 'unreachable',
      logger: { warn: () => {}, info: () => {} },
    });
    await expect(bus.start({ events: () => {}, presence: () => {} })).rejects.toThrow();
    await bus.stop();
  });
});

describe.runIf(redisReady && process.env.DATABASE_URL)(
  'the Redis bus across instances (PostgreSQL)',
  () => {
    const prefix = `sabor-test-${randomUUID()}:`;
    let a: TestApp;
    let b: TestApp;
    let admin: Redis;
    beforeAll(async () => {
      a = await buildTestApp(redisEnv(prefix), withoutPoll);
      await a.app.listen({ port: 0, host: '127.0.0.1' });
      b = await buildTestApp(redisEnv(prefix), withoutPoll, {
        databaseUrl: a.config.databaseUrl!,
      });
      await b.app.listen({ port: 0, host: '127.0.0.1' });
      admin = new Redis(redisUrl);
    });
    afterAll(async () => {
      await b.close();
      await a.close();
      admin.disconnect();
    });

    /** Redis client ids of the connection named `name`. */
    async function clientIds(name: string): Promise<string[]> {
      const list = (await admin.client('LIST')) as string;
      return list
        .split('\n')
        .filter((line) => line.includes(` name=${name} `))
        .map((line) => /^id=(\d+)/.exec(line)![1]!);
    }

    it('delivers an event published through one instance to a subscriber of another', async () => {
      const client = await connect(b);
      await client.subscribe(['consultation:redis-shared']);
      const { id } = await publish(a, 'consultation:redis-shared', { from: 'A' });
      await client.receivedEvent(id);
      expect(client.events()).toEqual([
        { type: 'event', id, topic: 'consultation:redis-shared', payload: { from: 'A' } },
      ]);
      client.socket.close();
    });

    it('reconnects a killed subscriber connection and backfills from the database, each event once', async () => {
      const topic = 'consultation:redis-outage';
      const client = await connect(b);
      await client.subscribe([topic]);
      const name = `sabor-live-${b.app.liveHub.instance}`;
      const before = await clientIds(name);
      expect(before).toHaveLength(1);

      const reconnected = async (killed: string) => {
        await until(async () => {
          const now = await clientIds(name);
          return now.length === 1 && now[0] !== killed;
        }, 'a new subscriber connection');
        return (await clientIds(name))[0]!;
      };

      // Rows nobody announced, and no poll: only the read after reconnecting can find them.
      const silent = await a.app.db
        .insert(liveEvents)
        .values([0, 1, 2].map((i) => ({ topic, payload: { silent: i } })))
        .returning({ id: liveEvents.id });
      await admin.client('KILL', 'ID', before[0]!);
      const second = await reconnected(before[0]!);
      const silentIds: number[] = [];
      for (const row of silent) silentIds.push(await eventIdOf(b, row.id));
      for (const id of silentIds) await client.receivedEvent(id);

      // Events published through the other instance while the connection is down.
      await admin.client('KILL', 'ID', second);
      const meanwhile: number[] = [];
      for (let i = 0; i < 5; i += 1) meanwhile.push((await publish(a, topic, { i })).id);
      await reconnected(second);
      const after = await publish(a, topic, { after: true });
      await client.receivedEvent(after.id);
      expect(client.events().map((m) => m.id)).toEqual([...silentIds, ...meanwhile, after.id]);
      client.socket.close();
    });

    it('counts presence over Redis', async () => {
      const topic = 'consultation:redis-presence';
      const onA = await connect(a);
      await onA.subscribe([topic]);
      await onA.presenceIs(topic, 1);
      const onB = await connect(b);
      await onB.subscribe([topic]);
      await onA.presenceIs(topic, 2);
      await onB.presenceIs(topic, 2);
      onA.socket.close();
      await onB.presenceIs(topic, 1);
      onB.socket.close();
    });
  },
);
