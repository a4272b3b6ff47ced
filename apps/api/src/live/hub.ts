import { randomUUID } from 'node:crypto';
import type { ServerMessage } from '@sabor/contracts';
import { liveEvents, type Database } from '@sabor/db';
import { and, asc, eq, gt, lte, max, min, sql, type SQL } from 'drizzle-orm';
import type { LiveBus } from './bus';
import { Presence, type PresenceTimings } from './presence';
import { sequenceLiveEvents } from './sequencer';

/** What the hub sends to one subscriber. */
export type HubMessage = Extract<
  ServerMessage,
  { type: 'subscribed' | 'event' | 'resync' | 'presence' }
>;
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
  /** This process's id among the instances (presence); random by default. */
  instance?: string;
  presence?: Partial<PresenceTimings>;
}

/**
 * Beyond this many followed topics the dispatch reads every topic instead of naming them all in
 * the query (the list would cost more than the rows it filters out).
 */
const maxFilteredTopics = 1000;

/** A live event as clients see it: its id (the row's position), topic and payload. */
export type EventRow = Pick<EventMessage, 'id' | 'topic' | 'payload'>;

const eventRowColumns = {
  id: liveEvents.position,
  topic: liveEvents.topic,
  payload: liveEvents.payload,
};

/**
 * Event rows as read (only positioned rows are ever read, so `id` is set). Payloads are written
 * only by publishLiveEvent, whose type admits nothing but the topics' contract events, so they are
 * typed as such here and relayed unparsed (the browser parses each event it receives).
 */
const asEventRows = (rows: { id: number | null; topic: string; payload: unknown }[]) =>
  rows as EventRow[];

/**
 * Per-process fan-out of `live_events` to WebSocket subscribers. Whenever the bus signals, and on
 * a slow poll, it numbers the committed events that have no position yet (sequencer.ts), then one
 * cursor (the highest position dispatched) walks the table in position order; positions become
 * visible in increasing order with no gap, so every position below the highest one read is final
 * and walking by position misses nothing. Only the rows of topics someone here follows are read.
 * Also counts presence: the connections following each topic, here and (over the bus) elsewhere.
 */
export class LiveHub {
  /** This process among the instances sharing the database. */
  readonly instance: string;
  readonly #db: Database;
  readonly #bus: LiveBus;
  readonly #logger: LiveHubOptions['logger'];
  readonly #pollIntervalMs: number;
  readonly #batchSize: number;
  readonly #maxReplay: number;
  readonly #byTopic = new Map<string, Set<Subscriber>>();
  /** Server-side listeners (see watch): streamed to, never counted in presence. */
  readonly #watchers = new Map<string, Set<(event: EventRow) => void>>();
  readonly #presence: Presence;
  /** Subscribers not yet told a topic's presence count. */
  readonly #newcomers = new Map<string, Set<Subscriber>>();
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
    this.instance = options.instance ?? randomUUID();
    this.#presence = new Presence({
      ...options.presence,
      instance: this.instance,
      publish: (report) => this.#bus.publishPresence(report),
      notify: (topic, count, changed) => this.#notifyPresence(topic, count, changed),
      logger: options.logger,
    });
  }

  async start(): Promise<void> {
    const [row] = await this.#db.select({ last: max(liveEvents.position) }).from(liveEvents);
    this.#cursor = Number(row?.last ?? 0);
    this.#running = true;
    this.#presence.start();
    await this.#bus.start({
      // The ids are rows' (insertion order), not positions: any signal means "look".
      events: () => this.wake(),
      presence: (report) => this.#presence.receive(report),
    });
    this.#poll = setInterval(() => this.wake(), this.#pollIntervalMs);
    this.#poll.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearInterval(this.#poll);
    await this.#presence.stop();
    await this.#bus.stop();
    await this.#draining;
    this.#byTopic.clear();
    this.#watchers.clear();
    this.#newcomers.clear();
  }

  /** Connections following `topic` on every instance (approximate: see presence.ts). */
  presenceCount(topic: string): number {
    return this.#presence.count(topic);
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
   * `waitForRoom`, when it returns a promise, holds the replay until the receiver has room (a
   * replay may be larger than a socket's buffer); events committed meanwhile wait their turn.
   */
  async subscribe(
    topics: readonly string[],
    lastEventId: number | null,
    send: (message: HubMessage) => void,
    waitForRoom?: () => Promise<void> | undefined,
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
    this.#countPresence(subscriber.topics);
    if (lastEventId === null) {
      send({ type: 'subscribed', topics: [...subscriber.topics], lastEventId: this.#cursor });
      this.#welcome(subscriber);
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
    let events = [...replay.events, ...pending.splice(0)];
    while (events.length > 0) {
      for (const event of events) {
        const room = waitForRoom?.();
        if (room) await room;
        this.#deliver(subscriber, event);
      }
      events = pending.splice(0);
    }
    // Nothing is waiting, and from here on (synchronously) dispatch delivers directly.
    subscriber.pending = null;
    this.#welcome(subscriber);
    return subscriber;
  }

  /**
   * Calls `onEvent` with each event on `topic` dispatched from now on, for the server's own use
   * (e.g. closing a suspended user's socket): no replay, no presence, nothing sent to a client.
   * Returns the function that stops it. Events committed before the call may or may not arrive;
   * a caller that must not miss one checks the state they change after calling.
   */
  watch(topic: string, onEvent: (event: EventRow) => void): () => void {
    let watchers = this.#watchers.get(topic);
    if (!watchers) this.#watchers.set(topic, (watchers = new Set()));
    watchers.add(onEvent);
    return () => {
      watchers.delete(onEvent);
      if (watchers.size === 0 && this.#watchers.get(topic) === watchers)
        this.#watchers.delete(topic);
    };
  }

  /** Removes `topics` (all when omitted) from a subscription. */
  unsubscribe(
    subscription: LiveSubscription,
    topics: Iterable<string> = subscription.topics,
  ): void {
    const subscriber = subscription as Subscriber;
    const removed = [...topics];
    for (const topic of removed) {
      subscriber.topics.delete(topic);
      const set = this.#byTopic.get(topic);
      set?.delete(subscriber);
      if (set?.size === 0) this.#byTopic.delete(topic);
      const newcomers = this.#newcomers.get(topic);
      newcomers?.delete(subscriber);
      if (newcomers?.size === 0) this.#newcomers.delete(topic);
    }
    if (this.#running) this.#countPresence(removed);
  }

  /**
   * The missed events of `topics`, read in one snapshot so that, positions becoming visible in
   * order, nothing below the highest position read can still appear.
   */
  async #readReplay(topics: string[], after: number): Promise<Replay> {
    return this.#db.transaction(
      async (tx) => {
        const [bounds] = await tx
          .select({ first: min(liveEvents.position), last: max(liveEvents.position) })
          .from(liveEvents);
        const first = bounds?.first == null ? null : Number(bounds.first);
        // A bookmark from beyond this database's history (restored from a backup, or another
        // installation), or from before the oldest row kept (the rest was pruned): nothing can be
        // replayed faithfully.
        if (after > Number(bounds?.last ?? 0) || (first !== null && after < first - 1))
          return { events: [], overflowing: topics };
        const events: EventMessage[] = [];
        const overflowing: string[] = [];
        for (const topic of topics) {
          const rows = asEventRows(
            await tx
              .select(eventRowColumns)
              .from(liveEvents)
              .where(and(eq(liveEvents.topic, topic), gt(liveEvents.position, after)))
              .orderBy(asc(liveEvents.position))
              .limit(this.#maxReplay + 1),
          );
          if (rows.length > this.#maxReplay) overflowing.push(topic);
          else for (const row of rows) events.push({ type: 'event', ...row });
        }
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

  /**
   * Numbers what has committed, then dispatches everything up to the newest position, reading only
   * the rows of topics followed here. A topic followed while a read runs has its rows in the same range read before the cursor
   * moves past them: its subscriber was promised every event after the cursor it was given.
   */
  async #drain(): Promise<void> {
    while (this.#again && this.#running) {
      this.#again = false;
      const { more, last } = await sequenceLiveEvents(this.#db, this.#batchSize);
      if (more) this.#again = true;
      while (this.#cursor < last && this.#running) {
        const from = this.#cursor;
        const topics = this.#followedTopics();
        const rows =
          topics.size === 0 ? [] : await this.#readRange(from, last, topics, this.#batchSize);
        const upper = rows.length === this.#batchSize ? rows[rows.length - 1]!.id : last;
        for (;;) {
          const added = [...this.#followedTopics()].filter((topic) => !topics.has(topic));
          if (added.length === 0) break;
          for (const topic of added) topics.add(topic);
          rows.push(...(await this.#readRange(from, upper, new Set(added))));
        }
        rows.sort((a, b) => a.id - b.id);
        for (const row of rows) {
          const event: EventMessage = { type: 'event', ...row };
          for (const subscriber of this.#byTopic.get(row.topic) ?? []) {
            if (subscriber.pending) subscriber.pending.push(event);
            else this.#deliver(subscriber, event);
          }
          for (const watcher of this.#watchers.get(row.topic) ?? []) watcher(row);
        }
        this.#cursor = upper;
      }
    }
  }

  /** Topics someone here follows: subscribed by a client or watched by the server. */
  #followedTopics(): Set<string> {
    return new Set([...this.#byTopic.keys(), ...this.#watchers.keys()]);
  }

  /**
   * Rows with `from < position <= upto` of `topics` (of all topics when there are very many), by
   * position.
   */
  async #readRange(
    from: number,
    upto: number,
    topics: ReadonlySet<string>,
    limit?: number,
  ): Promise<EventRow[]> {
    const conditions: SQL[] = [gt(liveEvents.position, from), lte(liveEvents.position, upto)];
    if (topics.size <= maxFilteredTopics) {
      // One parameter however many topics; topics never contain commas (liveTopicSchema).
      conditions.push(
        sql`${liveEvents.topic} = any(string_to_array(${[...topics].join(',')}, ','))`,
      );
    }
    const query = this.#db
      .select(eventRowColumns)
      .from(liveEvents)
      .where(and(...conditions))
      .orderBy(asc(liveEvents.position));
    return asEventRows(await (limit === undefined ? query : query.limit(limit)));
  }

  /** Tells presence the local counts of `topics` after subscribers came or went. */
  #countPresence(topics: Iterable<string>): void {
    for (const topic of topics) this.#presence.setLocal(topic, this.#byTopic.get(topic)?.size ?? 0);
  }

  /** A subscriber now streaming is told each topic's presence count at the next notification. */
  #welcome(subscriber: Subscriber): void {
    for (const topic of subscriber.topics) {
      let newcomers = this.#newcomers.get(topic);
      if (!newcomers) this.#newcomers.set(topic, (newcomers = new Set()));
      newcomers.add(subscriber);
      this.#presence.touch(topic);
    }
  }

  #notifyPresence(topic: string, count: number, changed: boolean): void {
    const newcomers = this.#newcomers.get(topic);
    this.#newcomers.delete(topic);
    const message: HubMessage = { type: 'presence', topic, count };
    for (const subscriber of changed ? (this.#byTopic.get(topic) ?? []) : (newcomers ?? [])) {
      // One still replaying is told once it streams (it is a newcomer until then).
      if (subscriber.pending || !subscriber.topics.has(topic)) continue;
      subscriber.send(message);
    }
  }

  #deliver(subscriber: Subscriber, event: EventMessage): void {
    if (event.id <= subscriber.highestSent || !subscriber.topics.has(event.topic)) return;
    subscriber.highestSent = event.id;
    subscriber.send(event);
  }
}
