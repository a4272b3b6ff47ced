import { liveEvents } from '@sabor/db';
import { asc, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, publish } from '../../test/fixtures';
import { buildTestApp, type TestApp } from '../../test/helper';
import { ConfigError, loadConfig } from '../config';
import { purgeExpired } from '../modules/system/housekeeping';
import { pruneLiveEvents } from './pruning';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});

async function remainingPositions(): Promise<number[]> {
  const rows = await t.app.db
    .select({ id: liveEvents.position })
    .from(liveEvents)
    .orderBy(asc(liveEvents.position));
  return rows.map((row) => Number(row.id));
}

/** Makes events look `hours` old. */
async function age(ids: number[], hours: number) {
  await t.app.db
    .update(liveEvents)
    .set({ createdAt: sql`now() - make_interval(hours => ${hours})` })
    .where(inArray(liveEvents.position, ids));
}

describe('pruning live events', () => {
  it('deletes events older than the retention, keeps younger ones and always the newest', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await publish(t, 'consultation:prune', { i })).id);
    await age(ids.slice(0, 3), 80);
    await age(ids.slice(3, 4), 71);
    await pruneLiveEvents(t.app.db, 72);
    expect(await remainingPositions()).toEqual(ids.slice(3));

    // Everything is old: all go but the newest, which holds the highest position.
    await age(ids.slice(3), 100);
    await purgeExpired(t.app.db, 72);
    expect(await remainingPositions()).toEqual([ids.at(-1)]);
    await pruneLiveEvents(t.app.db, 72);
    expect(await remainingPositions()).toEqual([ids.at(-1)]);
  });

  it('asks a client whose bookmark predates the pruned events to resync each topic', async () => {
    const kept: number[] = [];
    const gone: number[] = [];
    for (let i = 0; i < 3; i += 1) gone.push((await publish(t, 'consultation:pruned', { i })).id);
    for (let i = 0; i < 3; i += 1) kept.push((await publish(t, 'consultation:pruned', { i })).id);
    await age(gone, 1000);
    await pruneLiveEvents(t.app.db, 72);
    const oldest = (await remainingPositions())[0]!;
    expect(oldest).toBe(kept[0]);

    const client = await connect(t);
    // Seen up to an event before the pruned ones: what came between is gone for good.
    client.send({
      type: 'subscribe',
      topics: ['consultation:pruned', 'consultation:pruned-quiet'],
      lastEventId: gone[0]! - 1,
    });
    await client.nth('resync', 2);
    expect(client.received.filter((m) => m.type === 'resync').map((m) => m.topic)).toEqual([
      'consultation:pruned',
      'consultation:pruned-quiet',
    ]);
    expect(client.received.some((m) => m.type === 'subscribed')).toBe(false);

    // Seen everything up to the oldest kept event: nothing is missing, the replay goes on.
    expect(await client.subscribe(['consultation:pruned'], oldest - 1)).toMatchObject({
      type: 'subscribed',
      lastEventId: oldest - 1,
    });
    await client.receivedEvent(kept.at(-1)!);
    expect(client.events().map((m) => m.id)).toEqual(kept);
    client.socket.close();
  });

  it('reads the retention from LIVE_EVENT_RETENTION_HOURS (72 by default)', () => {
    expect(loadConfig({}).liveEventRetentionHours).toBe(72);
    expect(loadConfig({ LIVE_EVENT_RETENTION_HOURS: '24' }).liveEventRetentionHours).toBe(24);
    for (const bad of ['0', '-1', '1.5', 'a week', '100000'])
      expect(() => loadConfig({ LIVE_EVENT_RETENTION_HOURS: bad })).toThrow(ConfigError);
  });

  it('reads the Redis settings the live bus uses', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    const config = loadConfig({ REDIS_URL: 'redis://cache:6379/2', REDIS_CHANNEL_PREFIX: 'sz:' });
    expect(config).toMatchObject({ redisUrl: 'redis://cache:6379/2', redisChannelPrefix: 'sz:' });
    expect(loadConfig({}).redisChannelPrefix).toBe('sabor:');
    for (const bad of [{ REDIS_URL: 'http://cache' }, { REDIS_CHANNEL_PREFIX: 'two words' }])
      expect(() => loadConfig(bad)).toThrow(ConfigError);
  });
});
