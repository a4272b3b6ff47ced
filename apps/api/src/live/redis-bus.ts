import type { Database } from '@sabor/db';
import { Redis, type RedisOptions } from 'ioredis';
import { decodeEventIds, decodePresence, encodePresence, type LiveBus } from './bus';
import { announceAfterCommit } from './outbox';

export interface RedisBusOptions {
  /** `redis://` or `rediss://` URL (REDIS_URL). */
  url: string;
  /** Prepended to the channel names, so installations can share one Redis (REDIS_CHANNEL_PREFIX). */
  prefix: string;
  /** The database whose transactions announce their live events after commit. */
  db: Database;
  /** Names this process's subscriber connection (`sabor-live-<instance>` in CLIENT LIST). */
  instance: string;
  logger: {
    warn(details: object, message: string): void;
    info(details: object, message: string): void;
  };
}

/** Reconnection delay: quick at first, then every 5 s for as long as Redis is away. */
const retryStrategy = (attempt: number) => Math.min(50 * 2 ** attempt, 5000);

/**
 * The bus over Redis pub/sub. After a transaction that published live events commits, this process
 * publishes their ids (`<prefix>live`, e.g. "41,42") and wakes its own hub at once; every instance
 * subscribes. The rows stay the source of truth: a lost message delays an event until the hub's
 * safety poll, and after the subscriber connection comes back the hub reads everything after the
 * highest id it has seen. Presence reports travel on `<prefix>presence`.
 *
 * Starting fails when Redis cannot be reached (a wrong REDIS_URL should not go unnoticed); once
 * started, an outage is waited out with reconnection.
 */
export function redisBus(options: RedisBusOptions): LiveBus {
  const eventsChannel = `${options.prefix}live`;
  const presenceChannel = `${options.prefix}presence`;
  let publisher: Redis | undefined;
  let subscriber: Redis | undefined;
  let restoreDatabase: (() => void) | undefined;

  return {
    kind: 'redis',
    async start(listener) {
      const common: RedisOptions = { lazyConnect: true, retryStrategy, maxRetriesPerRequest: 1 };
      // Without an offline queue a publish while Redis is away fails at once instead of piling up;
      // the rows are there and the others' backfill or poll picks them up.
      const pub = new Redis(options.url, {
        ...common,
        enableOfflineQueue: false,
        connectionName: `sabor-publish-${options.instance}`,
      });
      // Subscriptions are renewed by hand on every reconnection, so the backfill starts only once
      // new messages are certain to arrive.
      const sub = new Redis(options.url, {
        ...common,
        autoResubscribe: false,
        connectionName: `sabor-live-${options.instance}`,
      });
      publisher = pub;
      subscriber = sub;
      let connected = false;
      let outage = false;
      for (const client of [pub, sub]) {
        client.on('error', (err: unknown) => {
          if (!connected || outage) return;
          outage = true;
          options.logger.warn({ err }, 'redis connection lost; reconnecting');
        });
      }
      sub.on('message', (channel: string, message: string) => {
        if (channel === eventsChannel) {
          listener.events(decodeEventIds(message));
        } else if (channel === presenceChannel) {
          const report = decodePresence(message);
          if (report) listener.presence(report);
        }
      });
      sub.on('ready', () => {
        if (!connected) return;
        sub.subscribe(eventsChannel, presenceChannel).then(
          () => {
            if (outage) options.logger.info({}, 'redis connection back');
            outage = false;
            listener.events();
          },
          (err: unknown) => options.logger.warn({ err }, 'redis resubscribe failed'),
        );
      });

      try {
        await Promise.all([pub.connect(), sub.connect()]);
        await sub.subscribe(eventsChannel, presenceChannel);
      } catch (err) {
        pub.disconnect();
        sub.disconnect();
        throw err;
      }
      connected = true;
      restoreDatabase = announceAfterCommit(options.db, (ids) => {
        listener.events(ids);
        pub.publish(eventsChannel, ids.join(',')).catch(() => {
          // Redis is away: the other instances catch up when it is back, or by their poll.
        });
      });
    },
    async publishPresence(report) {
      if (!publisher) return;
      for (const message of encodePresence(report, 64 * 1024)) {
        await publisher.publish(presenceChannel, message);
      }
    },
    async stop() {
      restoreDatabase?.();
      restoreDatabase = undefined;
      const clients = [publisher, subscriber].filter((client) => client !== undefined);
      publisher = subscriber = undefined;
      await Promise.all(
        clients.map(async (client) => {
          // QUIT would wait in the offline queue for a connection that may never come back.
          if (client.status !== 'ready') return client.disconnect();
          await client.quit().catch(() => client.disconnect());
        }),
      );
    },
  };
}
