import type { ServerMessage } from '@sabor/contracts';
import { liveEvents, type Database } from '@sabor/db';
import { and, asc, eq, gt, max } from 'drizzle-orm';
import type { LiveBus } from './bus';

/** What the hub sends to one subscriber. */
export type HubMessage = Extract<ServerMessage, { type: 'subscribed' | 'event' | 'resync' }>;
type EventMessage = Extract<HubMessage, { type: 'event' }>;

/** One `subscribe` of one socket: its topics share one "highest id sent" guard. */
export interface LiveSubscription {
  readonly topics: ReadonlySet<string>;
}

interface Subscriber extends LiveSubscription {
  topics: Set<string>;
  send: (message: HubMessage) => void;
  /** Nothing at or below this id is sent again: replay and stream may overlap, never repeat. */
  highestSent: number;
  /** Events dispatched while the replay is read; sent after it. Null once streaming. */
  pending: EventMessage[] | null;
}

interface Replay {
  events: EventMessage[];
  /** Topics with more missed events than may be replayed. */
  overflowing: string[];
}

export interface LiveHubOptions {
  db: Database;
  bus: LiveBus;
  logger: { warn(details: object, message: string): void };
  /** Reads new events this often even without a signal, so a lost NOTIFY only delays. */
  pollIntervalMs?: number;
  /** Rows read per query when dispatching. */
  batchSize?: number;
  /** Events per topic a subscribe may replay; beyond that the client is told to resync. */
  maxReplay?: number;
}

/**
 * Per-process fan-out of `live_events` to WebSocket subscribers. One cursor (the highest id
 * dispatched) walks the table in id order whenever the bus signals, and on a slow poll; because
 * ids are assigned in commit order (see outbox.ts), every id below the highest one read is final,
 * so walking by id misses nothing.
 */
export class LiveHub {
  readonly #db: Database;
  readonly #bus: LiveBus;
  readonly #logger: LiveHubOptions['logger'];
  readonly #pollIntervalMs: number;
  readonly #batchSize: number;
  readonly #maxReplay: number;
  readonly #byTopic = new Map<string, Set<Subscriber>>();
  #cursor = 0;
  #running = false;
  #draining: Promise<void> | undefined;
  #again = false;
  #poll: NodeJS.Timeout | undefined;

  constructor(options: LiveHubOptions) {
    this.#db = options.db;
    this.#bus = options.bus;
    this.#logger = options.logger;
    this.#pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.#batchSize = options.batchSize ?? 500;
    this.#maxReplay = options.maxReplay ?? 1000;
  }

  async start(): Promise<void> {
    const [row] = await this.#db.select({ last: max(liveEvents.id) }).from(liveEvents);
    this.#cursor = Number(row?.last ?? 0);
    this.#running = true;
    await this.#bus.start(() => this.wake());
    this.#poll = setInterval(() => this.wake(), this.#pollIntervalMs);
    this.#poll.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearInterval(this.#poll);
    await this.#bus.stop();
    await this.#draining;
    this.#byTopic.clear();
  }

  /** Reads and dispatches whatever is new; many calls while a read runs cost one more read. */
  wake(): void {
    if (!this.#running) return;
    this.#again = true;
    if (this.#draining) return;
    this.#draining = this.#drain()
      .catch((err: unknown) => this.#logger.warn({ err }, 'live events dispatch failed'))
      .finally(() => {
        this.#draining = undefined;
        if (this.#again) this.wake();
      });
  }

  /**
   * Subscribes to `topics`: replays the events after `lastEventId` (none when null: from now on),
   * then streams, each event once and in id order. Sends `subscribed` first, or `resync` for a
   * topic with more than `maxReplay` missed events (that topic is then not subscribed).
   */
  async subscribe(
    topics: readonly string[],
    lastEventId: number | null,
    send: (message: HubMessage) => void,
  ): Promise<LiveSubscription> {
    const subscriber: Subscriber = {
      topics: new Set(topics),
      send,
      highestSent: lastEventId ?? this.#cursor,
      pending: lastEventId === null ? null : [],
    };
    // Registered before the replay is read: whatever commits after the replay's snapshot is
    // dispatched to `pending`, and the guard drops what both deliver.
    for (const topic of subscriber.topics) this.#subscribersOf(topic).add(subscriber);
    if (lastEventId === null) {
      send({ type: 'subscribed', topics: [...subscriber.topics], lastEventId: this.#cursor });
      return subscriber;
    }

    let replay: Replay;
    try {
      replay = await this.#readReplay([...subscriber.topics], lastEventId);
    } catch (err) {
      this.unsubscribe(subscriber);
      throw err;
    }
    for (const topic of replay.overflowing) {
      if (!subscriber.topics.has(topic)) continue;
      this.unsubscribe(subscriber, [topic]);
      send({ type: 'resync', topic });
    }
    if (subscriber.topics.size > 0)
      send({ type: 'subscribed', topics: [...subscriber.topics], lastEventId });
    const pending = subscriber.pending ?? [];
    subscriber.pending = null;
    for (const event of replay.events) this.#deliver(subscriber, event);
    for (const event of pending) this.#deliver(subscriber, event);
    return subscriber;
  }

  /** Removes `topics` (all when omitted) from a subscription. */
  unsubscribe(
    subscription: LiveSubscription,
    topics: Iterable<string> = subscription.topics,
  ): void {
    const subscriber = subscription as Subscriber;
    for (const topic of [...topics]) {
      subscriber.topics.delete(topic);
      const set = this.#byTopic.get(topic);
      set?.delete(subscriber);
      if (set?.size === 0) this.#byTopic.delete(topic);
    }
  }

  /**
   * The missed events of `topics`, read in one snapshot so that, ids being in commit order,
   * nothing below the highest id read can still appear.
   */
  async #readReplay(topics: string[], after: number): Promise<Replay> {
    return this.#db.transaction(
      async (tx) => {
        const events: EventMessage[] = [];
        const overflowing: string[] = [];
        for (const topic of topics) {
          const rows = await tx
            .select({ id: liveEvents.id, topic: liveEvents.topic, payload: liveEvents.payload })
            .from(liveEvents)
            .where(and(eq(liveEvents.topic, topic), gt(liveEvents.id, after)))
            .orderBy(asc(liveEvents.id))
            .limit(this.#maxReplay + 1);
          if (rows.length > this.#maxReplay) overflowing.push(topic);
          else for (const row of rows) events.push({ type: 'event', ...row });
        }
        const [row] = await tx.select({ last: max(liveEvents.id) }).from(liveEvents);
        // A bookmark from beyond this database's history (restored from a backup, or another
        // installation): nothing can be replayed faithfully.
        if (after > Number(row?.last ?? 0)) return { events: [], overflowing: topics };
        events.sort((a, b) => a.id - b.id);
        return { events, overflowing };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
  }

  #subscribersOf(topic: string): Set<Subscriber> {
    let set = this.#byTopic.get(topic);
    if (!set) this.#byTopic.set(topic, (set = new Set()));
    return set;
  }

  async #drain(): Promise<void> {
    while (this.#again && this.#running) {
      this.#again = false;
      for (;;) {
        const rows = await this.#db
          .select({ id: liveEvents.id, topic: liveEvents.topic, payload: liveEvents.payload })
          .from(liveEvents)
          .where(gt(liveEvents.id, this.#cursor))
          .orderBy(asc(liveEvents.id))
          .limit(this.#batchSize);
        for (const row of rows) {
          const event: EventMessage = { type: 'event', ...row };
          for (const subscriber of this.#byTopic.get(row.topic) ?? []) {
            if (subscriber.pending) subscriber.pending.push(event);
            else this.#deliver(subscriber, event);
          }
          this.#cursor = row.id;
        }
        if (rows.length < this.#batchSize || !this.#running) break;
      }
    }
  }

  #deliver(subscriber: Subscriber, event: EventMessage): void {
    if (event.id <= subscriber.highestSent || !subscriber.topics.has(event.topic)) return;
    subscriber.highestSent = event.id;
    subscriber.send(event);
  }
}
