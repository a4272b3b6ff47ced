import { liveTopicSchema } from '@sabor/contracts';
import type { DatabaseHandle } from '@sabor/db';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { announceAfterCommit, liveChannel } from './outbox';

/** One instance's count of local connections per topic; a count of 0 withdraws the topic. */
export interface PresenceReport {
  instance: string;
  counts: [topic: string, count: number][];
}

/** What a bus tells the hub. */
export interface BusListener {
  /**
   * New live events may exist: `ids` (their rows' ids, not the positions clients see) when the
   * bus carries them, none after the bus reconnected (read everything not yet read). Signals
   * carry no payloads and may be lost; the hub treats every one alike, as "look".
   */
  events(ids?: readonly number[]): void;
  /** Another instance's presence counts (this instance's own reports may come back too). */
  presence(report: PresenceReport): void;
}

/**
 * How processes tell each other about new live events and presence. The events themselves are
 * rows of `live_events`, written in the change's transaction; a bus only says "look".
 */
export interface LiveBus {
  readonly kind: 'postgres' | 'redis';
  start(listener: BusListener): Promise<void>;
  /** Sends this instance's presence counts to every instance; ephemeral, may be lost. */
  publishPresence(report: PresenceReport): Promise<void>;
  stop(): Promise<void>;
}

/** The NOTIFY channel of presence reports (never rows: presence is ephemeral). */
export const presenceChannel = 'sabor_presence';

const presenceWireSchema = z.object({
  i: z.string().min(1).max(64),
  c: z.array(z.tuple([liveTopicSchema, z.number().int().min(0).max(1_000_000)])).max(10_000),
});

/**
 * A report as messages of at most `maxBytes` each (PostgreSQL refuses NOTIFY payloads of 8000
 * bytes or more), so an instance following many topics sends several.
 */
export function encodePresence(report: PresenceReport, maxBytes: number): string[] {
  const head = `{"i":${JSON.stringify(report.instance)},"c":[`;
  const messages: string[] = [];
  let entries: string[] = [];
  let size = head.length + 2;
  for (const entry of report.counts) {
    const text = JSON.stringify(entry);
    if (entries.length > 0 && size + text.length + 1 > maxBytes) {
      messages.push(`${head}${entries.join(',')}]}`);
      entries = [];
      size = head.length + 2;
    }
    entries.push(text);
    size += text.length + 1;
  }
  if (entries.length > 0) messages.push(`${head}${entries.join(',')}]}`);
  return messages;
}

/** A report from the wire, or undefined for anything that is not one (ignored, never thrown). */
export function decodePresence(message: string): PresenceReport | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return undefined;
  }
  const parsed = presenceWireSchema.safeParse(json);
  return parsed.success ? { instance: parsed.data.i, counts: parsed.data.c } : undefined;
}

/** Event ids from a notification payload (`"42"` or `"41,42"`); anything else yields none. */
export function decodeEventIds(message: string): number[] | undefined {
  if (!/^\d{1,15}(,\d{1,15})*$/.test(message)) return undefined;
  return message.split(',').map(Number);
}

/**
 * The bus over the database's own NOTIFY: once a transaction that published live events has
 * committed, this process notifies the row ids (`"41,42"`) in a statement of its own; every
 * process LISTENs, this one included. Not in the transaction: PostgreSQL holds a database-wide lock
 * from a notifying transaction's pre-commit through its commit, which would make every publishing
 * writer wait for the previous one's WAL flush (the statement alone commits without a flush). A
 * process that dies between the commit and the notification delays the events until the others'
 * safety poll, and loses nothing. After the listening connection comes back, missed notifications
 * are covered by signalling once (the hub then reads whatever it has not dispatched yet). Presence
 * goes over a second channel with NOTIFY outside any transaction.
 */
export function databaseBus(database: Pick<DatabaseHandle, 'listen' | 'db'>): LiveBus {
  const unlisten: (() => Promise<void>)[] = [];
  let restoreDatabase: (() => void) | undefined;
  return {
    kind: 'postgres',
    async start(listener) {
      unlisten.push(
        await database.listen(
          liveChannel,
          (payload) => listener.events(decodeEventIds(payload)),
          () => listener.events(),
        ),
      );
      unlisten.push(
        await database.listen(presenceChannel, (payload) => {
          const report = decodePresence(payload);
          if (report) listener.presence(report);
        }),
      );
      // This process hears its own notification too, so it wakes its hub only if that failed.
      restoreDatabase = announceAfterCommit(database.db, (ids) => {
        database.db
          .execute(sql`select pg_notify(${liveChannel}, ${ids.join(',')})`)
          // The others find the rows on their safety poll.
          .catch(() => listener.events(ids));
      });
    },
    async publishPresence(report) {
      for (const message of encodePresence(report, 7900)) {
        await database.db.execute(sql`select pg_notify(${presenceChannel}, ${message})`);
      }
    },
    async stop() {
      restoreDatabase?.();
      restoreDatabase = undefined;
      await Promise.all(unlisten.splice(0).map((stop) => stop()));
    },
  };
}
