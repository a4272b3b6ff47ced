import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secondInstance, connect, until } from '../../test/fixtures';
import { buildTestApp, type TestApp } from '../../test/helper';
import { decodePresence, encodePresence, type PresenceReport } from './bus';
import { Presence } from './presence';

/** A Presence with a hand-driven clock, recording what it publishes and tells subscribers. */
function presenceUnderTest(instance = 'here') {
  let now = 1_000_000;
  const published: PresenceReport[] = [];
  const told: { topic: string; count: number; changed: boolean }[] = [];
  const presence = new Presence({
    instance,
    publish: async (report) => void published.push(report),
    notify: (topic, count, changed) => told.push({ topic, count, changed }),
    logger: { warn: () => {} },
    now: () => now,
    reportDelayMs: 1,
    notifyIntervalMs: 1,
    ttlMs: 15_000,
    reportIntervalMs: 3_600_000,
  });
  presence.start();
  return {
    presence,
    published,
    told,
    advance: (ms: number) => void (now += ms),
  };
}

describe('presence counting', () => {
  it('adds up every instance’s connections and forgets an instance not heard from', async () => {
    const { presence, advance, told } = presenceUnderTest();
    const topic = 'consultation:water';
    presence.setLocal(topic, 2);
    presence.receive({ instance: 'other', counts: [[topic, 3]] });
    presence.receive({ instance: 'third', counts: [[topic, 1]] });
    expect(presence.count(topic)).toBe(6);

    // A report of this instance's own (Redis and NOTIFY echo it back) is not counted twice.
    presence.receive({ instance: 'here', counts: [[topic, 50]] });
    expect(presence.count(topic)).toBe(6);

    // A count of 0 withdraws an instance at once.
    presence.receive({ instance: 'third', counts: [[topic, 0]] });
    expect(presence.count(topic)).toBe(5);

    // An instance that stops reporting (it died) drops out after the TTL; one that keeps
    // reporting stays.
    advance(10_000);
    presence.receive({ instance: 'late', counts: [[topic, 4]] });
    advance(6_000);
    expect(presence.count(topic)).toBe(6);
    presence.tick();
    await until(() => told.at(-1)?.count === 6, 'subscribers told 6');
    expect(told.at(-1)).toEqual({ topic, count: 6, changed: true });
    advance(15_000);
    presence.tick();
    expect(presence.count(topic)).toBe(2);
    await presence.stop();
  });

  it('reports local changes to the other instances, and withdraws them on stop', async () => {
    const { presence, published } = presenceUnderTest();
    presence.setLocal('consultation:a', 1);
    presence.setLocal('consultation:b', 3);
    presence.setLocal('consultation:a', 2);
    await until(() => published.length > 0, 'a report');
    expect(published[0]).toEqual({
      instance: 'here',
      counts: [
        ['consultation:a', 2],
        ['consultation:b', 3],
      ],
    });
    presence.setLocal('consultation:b', 0);
    await until(() => published.length > 1, 'a second report');
    expect(published[1]!.counts).toEqual([['consultation:b', 0]]);

    // The periodic report re-sends everything (it is what keeps this instance counted).
    presence.tick();
    expect(published.at(-1)!.counts).toEqual([['consultation:a', 2]]);
    await presence.stop();
    expect(published.at(-1)!.counts).toEqual([['consultation:a', 0]]);
  });

  it('tells a newcomer the count even when it did not change', async () => {
    const { presence, told } = presenceUnderTest();
    presence.setLocal('consultation:a', 1);
    await until(() => told.length === 1, 'first notification');
    expect(told[0]).toEqual({ topic: 'consultation:a', count: 1, changed: true });
    presence.touch('consultation:a');
    await until(() => told.length === 2, 'second notification');
    expect(told[1]).toEqual({ topic: 'consultation:a', count: 1, changed: false });
    await presence.stop();
  });

  it('splits reports under the NOTIFY payload limit and reads back only well-formed ones', () => {
    const counts = Array.from({ length: 500 }, (_, i): [string, number] => [
      `consultation:${'x'.repeat(60)}-${i}`,
      i + 1,
    ]);
    const messages = encodePresence({ instance: 'a-b-c', counts }, 7900);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.every((m) => Buffer.byteLength(m) <= 7900)).toBe(true);
    expect(messages.flatMap((m) => decodePresence(m)!.counts)).toEqual(counts);

    const hostile = [
      'not json',
      '{}',
      JSON.stringify({ i: '', c: [] }),
      JSON.stringify({ i: 'x', c: [['Consultation:X', 1]] }),
      JSON.stringify({ i: 'x', c: [['consultation:x', -1]] }),
      JSON.stringify({ i: 'x', c: [['consultation:x', 1.5]] }),
      JSON.stringify({ i: 'x', c: [['consultation:x']] }),
      JSON.stringify({ i: 'x'.repeat(65), c: [] }),
      JSON.stringify({ i: 'x', c: { __proto__: { length: 1 } } }),
    ];
    for (const message of hostile) expect(decodePresence(message)).toBeUndefined();
  });
});

describe('presence over /api/ws', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('tells the followers of a topic how many are on it', async () => {
    const topic = 'consultation:presence-one';
    const first = await connect(t);
    await first.subscribe([topic]);
    await first.presenceIs(topic, 1);
    const second = await connect(t);
    await second.subscribe([topic, 'consultation:presence-elsewhere']);
    await first.presenceIs(topic, 2);
    await second.presenceIs(topic, 2);
    await second.presenceIs('consultation:presence-elsewhere', 1);

    // Subscribing again (e.g. after a resync) is not a new person, but is told the count.
    const told = second.received.filter((m) => m.type === 'presence' && m.topic === topic).length;
    second.send({ type: 'subscribe', topics: [topic], lastEventId: null });
    await until(
      () => second.received.filter((m) => m.type === 'presence' && m.topic === topic).length > told,
      'presence after resubscribing',
    );
    expect(second.presence(topic)).toBe(2);

    second.socket.close();
    await first.presenceIs(topic, 1);
    // Nobody is told about topics they do not follow.
    expect(first.received.some((m) => m.topic === 'consultation:presence-elsewhere')).toBe(false);
    first.socket.close();
  });

  it('counts a topic no more once it is unsubscribed', async () => {
    const topic = 'consultation:presence-leave';
    const stays = await connect(t);
    await stays.subscribe([topic]);
    const leaves = await connect(t);
    await leaves.subscribe([topic]);
    await stays.presenceIs(topic, 2);
    leaves.send({ type: 'unsubscribe', topics: [topic] });
    await stays.presenceIs(topic, 1);
    expect(t.app.liveHub.presenceCount(topic)).toBe(1);
    stays.socket.close();
    leaves.socket.close();
  });
});

describe.runIf(process.env.DATABASE_URL)('presence across instances (PostgreSQL NOTIFY)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await buildTestApp();
    await a.app.listen({ port: 0, host: '127.0.0.1' });
    b = await secondInstance(a);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('counts the connections of every instance', async () => {
    const topic = 'consultation:presence-two';
    const onA = await connect(a);
    await onA.subscribe([topic]);
    await onA.presenceIs(topic, 1);
    const onB = await connect(b);
    await onB.subscribe([topic]);
    await onA.presenceIs(topic, 2);
    await onB.presenceIs(topic, 2);
    onB.socket.close();
    await onA.presenceIs(topic, 1);
    onA.socket.close();
  });
});
