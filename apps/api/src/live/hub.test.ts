import { liveEvents, type Database } from '@sabor/db';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventIdOf,
  secondInstance,
  connect as connectClient,
  publish,
  publishUnchecked,
  until,
} from '../../test/fixtures';
import { buildTestApp, signUp, type TestApp } from '../../test/helper';
import { LiveHub, type HubMessage } from './hub';
import { latestEventId, liveChannel } from './outbox';
import { sequenceLiveEvents } from './sequencer';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});

/** A browser tab on `app` (this file's app unless named). */
function connect(app: TestApp = t, headers: Record<string, string> = {}) {
  return connectClient(app, headers);
}

/**
 * The test app's database, watched: every select's rows are recorded, and once `hold` is set the
 * hub's range reads (those ordered by id) wait for `release()`.
 */
function watchedDatabase(db: Database) {
  const rows: { topic?: unknown }[] = [];
  let gate: Promise<void> | undefined;
  let release = () => {};
  let held = 0;
  const watched = new Proxy(db, {
    get: (target, property, receiver) => {
      if (property !== 'select') return Reflect.get(target, property, receiver) as unknown;
      return (...args: Parameters<Database['select']>) => {
        const builder = target.select(...args);
        return new Proxy(builder, {
          get: (b, p, r) => {
            if (p !== 'from') return Reflect.get(b, p, r) as unknown;
            return (...fromArgs: Parameters<typeof builder.from>) => {
              const query = b.from(...fromArgs);
              const execute = query.execute.bind(query);
              query.execute = async (...executeArgs: Parameters<typeof execute>) => {
                if (gate && /order by/i.test(query.toSQL().sql)) {
                  held += 1;
                  await gate;
                }
                const result = await execute(...executeArgs);
                rows.push(...(result as { topic?: unknown }[]));
                return result;
              };
              return query;
            };
          },
        });
      };
    },
  });
  return {
    db: watched,
    rows,
    held: () => held,
    hold() {
      gate = new Promise<void>((resolve) => (release = resolve));
    },
    release() {
      release();
    },
  };
}

/** A hub on `db` whose bus signals only when the test calls `signal()`. */
async function manualHub(db: Database) {
  let signal = () => {};
  const hub = new LiveHub({
    db,
    bus: {
      kind: 'postgres',
      start: async (listener) => void (signal = () => listener.events()),
      publishPresence: async () => {},
      stop: async () => {},
    },
    logger: { warn: () => {} },
    pollIntervalMs: 3_600_000,
  });
  await hub.start();
  return { hub, signal: () => signal() };
}

describe('live events', () => {
  it('notifies the database channel with the event id on commit', async () => {
    const ids: string[] = [];
    const unlisten = await t.app.database.listen(liveChannel, (payload) => ids.push(payload));
    try {
      const { id } = await publish(t, 'consultation:notify', { n: 1 });
      await until(() => ids.includes(String(id)), 'notification');
    } finally {
      await unlisten();
    }
  });

  it('delivers an event committed after subscribing', async () => {
    const client = await connect();
    expect(await client.subscribe(['consultation:water'])).toMatchObject({
      type: 'subscribed',
      topics: ['consultation:water'],
    });
    const { id } = await publish(t, 'consultation:water', { comment: 'Здравейте' });
    await client.receivedEvent(id);
    expect(client.events()).toEqual([
      { type: 'event', id, topic: 'consultation:water', payload: { comment: 'Здравейте' } },
    ]);
    client.socket.close();
  });

  it('never delivers an event whose transaction rolled back', async () => {
    const client = await connect();
    await client.subscribe(['consultation:rollback']);
    await expect(
      t.app.db.transaction(async (tx) => {
        await publishUnchecked(tx, 'consultation:rollback', { secret: true });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const marker = await publish(t, 'consultation:rollback', { marker: true });
    await client.receivedEvent(marker.id);
    expect(client.events().map((m) => m.payload)).toEqual([{ marker: true }]);
    client.socket.close();
  });

  it('replays exactly the missed events, in order, while events keep being published', async () => {
    const topic = 'consultation:replay';
    const published: number[] = [];
    for (let i = 0; i < 20; i += 1) published.push((await publish(t, topic, { i })).id);
    const bookmark = published[9]!;

    let subscribeAt: () => void = () => {};
    const halfway = new Promise<void>((resolve) => (subscribeAt = resolve));
    const publishing = (async () => {
      // Several transactions at once, so commits race each other.
      for (let round = 0; round < 40; round += 1) {
        const ids = await Promise.all(
          [0, 1, 2, 3, 4].map((k) =>
            publish(t, k === 4 ? 'consultation:other' : topic, { round, k }),
          ),
        );
        ids.forEach(({ id }, k) => k !== 4 && published.push(id));
        if (round === 20) subscribeAt();
      }
    })();

    await halfway;
    const client = await connect();
    client.send({ type: 'subscribe', topics: [topic], lastEventId: bookmark });
    await publishing;
    const expected = published.filter((id) => id > bookmark).sort((a, b) => a - b);
    await client.receivedEvent(expected.at(-1)!);

    const ids = client.events().map((m) => m.id!);
    expect(ids).toEqual(expected);
    expect(client.received.findIndex((m) => m.type === 'subscribed')).toBeLessThan(
      client.received.findIndex((m) => m.type === 'event'),
    );
    client.socket.close();
  });

  it('hands over from replay to stream with no gap and no repeat', async () => {
    const topic = 'consultation:handover';
    const earlier: number[] = [];
    for (let i = 0; i < 5; i += 1) earlier.push((await publish(t, topic, { i })).id);

    // The replay read (the hub's one read-only transaction) waits at this gate while newer events
    // are numbered and dispatched to the subscriber.
    let openGate = () => {};
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const db = t.app.db;
    const gatedDb = new Proxy(db, {
      get: (target, property, receiver) =>
        property === 'transaction'
          ? async (...args: Parameters<Database['transaction']>) => {
              if (args[1]?.accessMode === 'read only') await gate;
              return db.transaction(...args);
            }
          : (Reflect.get(target, property, receiver) as unknown),
    });
    let signal = () => {};
    const hub = new LiveHub({
      db: gatedDb,
      bus: {
        kind: 'postgres',
        start: async (listener) => void (signal = () => listener.events()),
        publishPresence: async () => {},
        stop: async () => {},
      },
      logger: { warn: () => {} },
      pollIntervalMs: 3_600_000,
    });
    await hub.start();
    try {
      const watched: HubMessage[] = [];
      await hub.subscribe([topic], null, (m) => watched.push(m));
      const received: HubMessage[] = [];
      const subscribing = hub.subscribe([topic], earlier[1]!, (m) => received.push(m));

      const later: number[] = [];
      for (let i = 0; i < 5; i += 1) later.push((await publish(t, topic, { later: i })).id);
      signal();
      // Dispatch reaches every subscriber in one pass: once the watcher has the last event, the
      // replaying subscriber has been handed all of them too.
      await until(
        () => watched.some((m) => m.type === 'event' && m.id === later.at(-1)),
        'dispatch',
      );
      openGate();
      await subscribing;

      expect(received[0]).toEqual({ type: 'subscribed', topics: [topic], lastEventId: earlier[1] });
      expect(received.slice(1).map((m) => (m.type === 'event' ? m.id : m.type))).toEqual([
        ...earlier.slice(2),
        ...later,
      ]);
    } finally {
      await hub.stop();
    }
  });

  it('paces a replay to the receiver, and events committed meanwhile follow it in order', async () => {
    const topic = 'consultation:paced';
    const earlier: number[] = [];
    for (let i = 0; i < 5; i += 1) earlier.push((await publish(t, topic, { i })).id);
    const { hub, signal } = await manualHub(t.app.db);
    try {
      const watched: HubMessage[] = [];
      await hub.subscribe([topic], null, (m) => watched.push(m));
      let openRoom = () => {};
      const room = new Promise<void>((resolve) => (openRoom = resolve));
      let asked = 0;
      const received: HubMessage[] = [];
      const subscribing = hub.subscribe(
        [topic],
        earlier[0]!,
        (m) => received.push(m),
        // The receiver is full after the second replayed event until the test makes room.
        () => (++asked === 3 ? room : undefined),
      );
      await until(() => asked === 3, 'the replay to wait for room');
      const later: number[] = [];
      for (let i = 0; i < 3; i += 1) later.push((await publish(t, topic, { later: i })).id);
      signal();
      await until(
        () => watched.some((m) => m.type === 'event' && m.id === later.at(-1)),
        'dispatch',
      );
      openRoom();
      await subscribing;
      expect(received.map((m) => (m.type === 'event' ? m.id : m.type))).toEqual([
        'subscribed',
        ...earlier.slice(1),
        ...later,
      ]);
    } finally {
      await hub.stop();
    }
  });

  it('reads only the events of topics followed on this instance', async () => {
    const watched = watchedDatabase(t.app.db);
    const { hub, signal } = await manualHub(watched.db);
    try {
      const received: HubMessage[] = [];
      await hub.subscribe(['consultation:followed'], null, (m) => received.push(m));
      await publish(t, 'consultation:nobody-here', { skipped: true });
      const followed = await publish(t, 'consultation:followed', { read: true });
      await publish(t, 'consultation:nobody-here', { skipped: true });
      signal();
      await until(
        () => received.some((m) => m.type === 'event' && m.id === followed.id),
        'the followed event',
      );
      const topics = new Set(watched.rows.map((row) => row.topic).filter(Boolean));
      expect([...topics]).toEqual(['consultation:followed']);
    } finally {
      await hub.stop();
    }
  });

  it('gives a topic followed while a dispatch read runs every event after its bookmark', async () => {
    const watched = watchedDatabase(t.app.db);
    const { hub, signal } = await manualHub(watched.db);
    try {
      await hub.subscribe(['consultation:already'], null, () => {});
      const missed = await publish(t, 'consultation:latecomer', { n: 1 });
      // The dispatch read of the range holding `missed` runs (held) without the new topic...
      watched.hold();
      signal();
      await until(() => watched.held() > 0, 'the dispatch read');
      // ...when a client starts following it from the cursor before that range.
      const received: HubMessage[] = [];
      await hub.subscribe(['consultation:latecomer'], null, (m) => received.push(m));
      expect(received[0]).toMatchObject({ type: 'subscribed' });
      expect((received[0] as { lastEventId: number }).lastEventId).toBeLessThan(missed.id);
      watched.release();
      const after = await publish(t, 'consultation:latecomer', { n: 2 });
      signal();
      await until(
        () => received.some((m) => m.type === 'event' && m.id === after.id),
        'the later event',
      );
      expect(
        received.filter((m) => m.type === 'event').map((m) => m.type === 'event' && m.id),
      ).toEqual([missed.id, after.id]);
    } finally {
      await hub.stop();
    }
  });

  it('asks to resync when more was missed than can be replayed, or the bookmark is unknown', async () => {
    const topic = 'consultation:flood';
    await t.app.db
      .insert(liveEvents)
      .values(Array.from({ length: 1001 }, (_, i) => ({ topic, payload: { i } })));
    // Committed without a signal: numbered here rather than by the next poll.
    await sequenceLiveEvents(t.app.db, 2000);
    const client = await connect();
    client.send({ type: 'subscribe', topics: [topic, 'consultation:quiet'], lastEventId: 0 });
    expect(await client.nth('resync', 1)).toEqual({ type: 'resync', topic });
    expect(await client.nth('subscribed', 1)).toMatchObject({ topics: ['consultation:quiet'] });

    client.send({ type: 'subscribe', topics: ['consultation:future'], lastEventId: 10 ** 12 });
    expect(await client.nth('resync', 2)).toEqual({
      type: 'resync',
      topic: 'consultation:future',
    });
    // Resynced topics are not followed.
    await publish(t, topic, { late: true });
    const marker = await publish(t, 'consultation:quiet', { marker: true });
    await client.receivedEvent(marker.id);
    expect(client.events().map((m) => m.topic)).toEqual(['consultation:quiet']);
    client.socket.close();
  });

  it('stops delivering a topic after unsubscribe and after close', async () => {
    const client = await connect();
    await client.subscribe(['consultation:a', 'consultation:b']);
    client.send({ type: 'unsubscribe', topics: ['consultation:a'] });
    client.send({ type: 'ping', id: 'after-unsubscribe' });
    await client.nth('pong', 1);
    await publish(t, 'consultation:a', { gone: true });
    const marker = await publish(t, 'consultation:b', { marker: true });
    await client.receivedEvent(marker.id);
    expect(client.events().map((m) => m.topic)).toEqual(['consultation:b']);
    client.socket.close();
  });

  it('keeps the moderation queue to moderators and admins', async () => {
    const anonymous = await connect(t, { 'accept-language': 'en' });
    anonymous.send({ type: 'subscribe', topics: ['moderation:queue'], lastEventId: null });
    expect(await anonymous.nth('error', 1)).toEqual({
      type: 'error',
      code: 'forbidden_topic',
      message: 'You may not follow these updates.',
    });

    const resident = await connect(t, { cookie: (await signUp(t)).cookie });
    await resident.subscribe(['consultation:open']);
    resident.send({
      type: 'subscribe',
      topics: ['consultation:also', 'moderation:queue'],
      lastEventId: null,
    });
    expect(await resident.nth('error', 1)).toMatchObject({ code: 'forbidden_topic' });

    const moderator = await connect(t, { cookie: (await signUp(t, { role: 'moderator' })).cookie });
    await moderator.subscribe(['moderation:queue']);
    const admin = await connect(t, { cookie: (await signUp(t, { role: 'admin' })).cookie });
    await admin.subscribe(['moderation:queue']);

    const queued = await publish(t, 'moderation:queue', { commentId: 'c1' });
    await publish(t, 'consultation:also', {});
    const marker = await publish(t, 'consultation:open', { marker: true });
    await moderator.receivedEvent(queued.id);
    await admin.receivedEvent(queued.id);
    await resident.receivedEvent(marker.id);
    // The refused subscribe changed nothing: neither of its topics is followed.
    expect(resident.events().map((m) => m.topic)).toEqual(['consultation:open']);
    expect(anonymous.events()).toEqual([]);
    for (const c of [anonymous, resident, moderator, admin]) c.socket.close();
  });

  it('refuses malformed subscriptions without changing anything', async () => {
    const client = await connect();
    await client.subscribe(['consultation:kept']);
    const hostile = [
      { type: 'subscribe', topics: ['Consultation:x'], lastEventId: null },
      { type: 'subscribe', topics: ['consultation'], lastEventId: null },
      { type: 'subscribe', topics: ['consultation:'], lastEventId: null },
      { type: 'subscribe', topics: [`consultation:${'a'.repeat(65)}`], lastEventId: null },
      {
        type: 'subscribe',
        topics: ["consultation:x'; drop table live_events; --"],
        lastEventId: 0,
      },
      { type: 'subscribe', topics: ['consultation:x\n'], lastEventId: null },
      { type: 'subscribe', topics: ['консултация:x'], lastEventId: null },
      { type: 'subscribe', topics: ['consultation:x', 42], lastEventId: null },
      { type: 'subscribe', topics: [], lastEventId: null },
      {
        type: 'subscribe',
        topics: Array.from({ length: 11 }, (_, i) => `consultation:t${i}`),
        lastEventId: null,
      },
      { type: 'subscribe', topics: 'consultation:x', lastEventId: null },
      { type: 'subscribe', topics: ['consultation:x'] },
      { type: 'subscribe', topics: ['consultation:x'], lastEventId: -1 },
      { type: 'subscribe', topics: ['consultation:x'], lastEventId: 1.5 },
      { type: 'subscribe', topics: ['consultation:x'], lastEventId: '0' },
      { type: 'subscribe', topics: ['consultation:x'], lastEventId: 2 ** 60 },
      { type: 'unsubscribe', topics: ['consultation:kept', 'BAD'] },
      { type: 'subscribe', topics: { __proto__: { length: 1 } }, lastEventId: null },
    ];
    for (const message of hostile) client.send(message);
    await client.nth('error', hostile.length);
    expect(
      client.received.filter((m) => m.type === 'error').every((m) => m.code === 'invalid_message'),
    ).toBe(true);

    await publish(t, 'consultation:x', {});
    const marker = await publish(t, 'consultation:kept', { marker: true });
    await client.receivedEvent(marker.id);
    expect(client.events().map((m) => m.topic)).toEqual(['consultation:kept']);
    expect(client.received.filter((m) => m.type === 'subscribed')).toHaveLength(1);
    client.socket.close();
  });

  it('limits how many topics one socket follows', async () => {
    const client = await connect(t, { 'accept-language': 'bg' });
    for (let batch = 0; batch < 5; batch += 1)
      await client.subscribe(Array.from({ length: 10 }, (_, i) => `consultation:b${batch}-${i}`));
    client.send({ type: 'subscribe', topics: ['consultation:one-more'], lastEventId: null });
    expect(await client.nth('error', 1)).toMatchObject({ code: 'too_many_topics' });
    // Subscribing again to a followed topic is not a new one.
    expect(await client.subscribe(['consultation:b0-0'])).toMatchObject({ type: 'subscribed' });
    client.socket.close();
  });
});

// PGlite has one connection: a transaction holds it until it ends, so no other transaction can
// publish, commit or read meanwhile and this case cannot arise there.
describe.runIf(process.env.DATABASE_URL)('live events of concurrent writers (PostgreSQL)', () => {
  it('delivers an event committed after a later-inserted one that was already delivered, and replays it', async () => {
    const topic = 'consultation:gap';
    const client = await connect();
    await client.subscribe([topic]);

    // A inserts its event first and stays open; B inserts later and commits.
    let commitA = () => {};
    const held = new Promise<void>((resolve) => (commitA = resolve));
    let inserted = (_row: number) => {};
    const insertedA = new Promise<number>((resolve) => (inserted = resolve));
    const a = t.app.db.transaction(async (tx) => {
      const { row } = await publishUnchecked(tx, topic, { writer: 'A' });
      inserted(row);
      await held;
    });
    const rowA = await insertedA;
    const { row: rowB } = await t.app.db.transaction((tx) =>
      publishUnchecked(tx, topic, { writer: 'B' }),
    );
    expect(rowB).toBeGreaterThan(rowA);
    const idB = await eventIdOf(t, rowB);
    // B is delivered while A, inserted before it, is still open (a reader walking row ids would
    // have moved past A for good here).
    await client.receivedEvent(idB);
    const bookmark = await latestEventId(t.app.db);
    expect(bookmark).toBe(idB);

    commitA();
    await a;
    const idA = await eventIdOf(t, rowA);
    expect(idA).toBeGreaterThan(idB);
    await client.receivedEvent(idA);
    expect(client.events().map((m) => m.payload)).toEqual([{ writer: 'B' }, { writer: 'A' }]);

    // A page that took its bookmark while A was open still gets A from its socket.
    const late = await connect();
    await late.subscribe([topic], bookmark);
    await late.receivedEvent(idA);
    expect(late.events().map((m) => m.id)).toEqual([idA]);
    client.socket.close();
    late.socket.close();
  });
});

describe.runIf(process.env.DATABASE_URL)('live events across instances (PostgreSQL)', () => {
  let other: TestApp;
  beforeAll(async () => {
    other = await secondInstance(t);
  });
  afterAll(async () => {
    await other.close();
  });

  it('delivers an event published through one instance to a subscriber of another', async () => {
    const client = await connect(other);
    await client.subscribe(['consultation:shared']);
    const { id } = await publish(t, 'consultation:shared', { from: 'A' });
    await client.receivedEvent(id);
    expect(client.events()).toEqual([
      { type: 'event', id, topic: 'consultation:shared', payload: { from: 'A' } },
    ]);
    client.socket.close();
  });

  it('loses nothing while the listening connection is down, and listens again', async () => {
    const admin = postgres(t.config.databaseUrl!, { max: 1, onnotice: () => {} });
    const listeners = async () =>
      (
        await admin<{ pid: number }[]>`
          select pid from pg_stat_activity
          where datname = current_database() and application_name = 'sabor-listen'`
      ).map((row) => row.pid);
    try {
      const client = await connect(other);
      await client.subscribe(['consultation:outage']);
      const before = await listeners();
      expect(before.length).toBeGreaterThanOrEqual(2);
      await admin`select pg_terminate_backend(pid) from unnest(${before}::int[]) as pid`;

      const ids: number[] = [];
      for (let i = 0; i < 5; i += 1) ids.push((await publish(t, 'consultation:outage', { i })).id);
      for (const id of ids) await client.receivedEvent(id);

      await until(async () => {
        const now = await listeners();
        return now.length >= 2 && now.every((pid) => !before.includes(pid));
      }, 'both instances listening again');
      const after = await publish(t, 'consultation:outage', { after: true });
      await client.receivedEvent(after.id);
      expect(client.events().map((m) => m.id)).toEqual([...ids, after.id]);
      client.socket.close();
    } finally {
      await admin.end();
    }
  });
});
