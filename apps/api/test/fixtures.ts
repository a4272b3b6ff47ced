// What the API tests share: dates relative to now, consultations made through the admin API in
// each state, a second instance of an app, live sockets (WebSocket clients on test apps and
// waiting for what they receive) and made-up live events.
import type { AddressInfo } from 'node:net';
import type { Consultation, LivePayload, LiveTopic } from '@sabor/contracts';
import { liveEvents, type Executor } from '@sabor/db';
import { eq } from 'drizzle-orm';
import WebSocket from 'ws';
import { publishLiveEvent } from '../src/live/outbox';
import { sequenceLiveEvents } from '../src/live/sequencer';
import { buildTestApp, origin, type TestApp } from './helper';

export const hour = 60 * 60 * 1000;
export const day = 24 * hour;

/** The ISO time `days` days from now (negative: in the past). */
export const inDays = (days: number) => new Date(Date.now() + days * day).toISOString();
/** The ISO time `hours` hours from now (negative: in the past). */
export const inHours = (hours: number) => new Date(Date.now() + hours * hour).toISOString();

/** The body of a valid new consultation that opens tomorrow for 30 days; `overrides` replace fields. */
export function consultationInput(overrides: Record<string, unknown> = {}) {
  return {
    titleBg: 'Наредба за обществения ред',
    titleEn: 'Public order ordinance',
    summary: 'Проект на наредба.',
    body: '# Проект\n\nЧлен 1. Текст.',
    category: 'regulation',
    responsibleUnit: 'Дирекция „Устойчиво развитие и евроинтеграция“',
    contactEmail: 'konsultacii@example.bg',
    opensAt: inDays(1),
    closesAt: inDays(31),
    ...overrides,
  };
}

/** Creates a draft consultation (opening tomorrow) as the admin whose session cookie is given. */
export async function draftConsultation(
  t: TestApp,
  adminCookie: string,
  overrides: Record<string, unknown> = {},
): Promise<Consultation> {
  const created = await t.inject({
    method: 'POST',
    url: '/api/admin/consultations',
    cookie: adminCookie,
    payload: consultationInput(overrides),
  });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  return created.json();
}

/** Publishes a draft: it is scheduled, or open when its opening time has passed. */
export async function publishConsultation(
  t: TestApp,
  adminCookie: string,
  id: string,
): Promise<Consultation> {
  const published = await t.inject({
    method: 'POST',
    url: `/api/admin/consultations/${id}/publish`,
    cookie: adminCookie,
  });
  if (published.statusCode !== 200) throw new Error(`publish failed: ${published.body}`);
  return published.json();
}

/** A consultation open now: published with an opening time in the past, closing in 40 days. */
export async function openConsultation(
  t: TestApp,
  adminCookie: string,
  overrides: Record<string, unknown> = {},
): Promise<Consultation> {
  const draft = await draftConsultation(t, adminCookie, {
    opensAt: inDays(-1),
    closesAt: inDays(40),
    ...overrides,
  });
  return publishConsultation(t, adminCookie, draft.id);
}

/** Closes a consultation early, as an admin does when a draft law is withdrawn. */
export async function closeConsultation(
  t: TestApp,
  adminCookie: string,
  id: string,
  reason = 'Край.',
): Promise<Consultation> {
  const closed = await t.inject({
    method: 'POST',
    url: `/api/admin/consultations/${id}/close`,
    cookie: adminCookie,
    payload: { reason },
  });
  if (closed.statusCode !== 200) throw new Error(`close failed: ${closed.body}`);
  return closed.json();
}

/** A second instance of the app on `t`'s PostgreSQL database, listening on a port of its own. */
export async function secondInstance(t: TestApp): Promise<TestApp> {
  const other = await buildTestApp({}, undefined, { databaseUrl: t.config.databaseUrl! });
  await other.app.listen({ port: 0, host: '127.0.0.1' });
  return other;
}

export interface Message {
  type: string;
  id?: number;
  topic?: string;
  topics?: string[];
  code?: string;
  count?: number;
  payload?: unknown;
  lastEventId?: number;
}

export function wsUrl(app: TestApp): string {
  return `ws://127.0.0.1:${(app.app.server.address() as AddressInfo).port}/api/ws`;
}

/** Waits until `condition` holds, checking every few milliseconds, or fails after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export type LiveClient = Awaited<ReturnType<typeof connect>>;

/** A browser tab: an open socket and everything the server sent it (a test app's, or at a URL). */
export async function connect(app: TestApp | string, headers: Record<string, string> = {}) {
  const url = typeof app === 'string' ? app : wsUrl(app);
  const socket = new WebSocket(url, { headers: { origin, ...headers } });
  const received: Message[] = [];
  let closedWith: { code: number; reason: string } | undefined;
  socket.on('message', (data: Buffer) => received.push(JSON.parse(data.toString()) as Message));
  socket.on('close', (code: number, reason: Buffer) => {
    closedWith = { code, reason: reason.toString() };
  });
  await until(() => received.length > 0, 'welcome');
  const client = {
    socket,
    received,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    events: (topic?: string) =>
      received.filter((m) => m.type === 'event' && (topic === undefined || m.topic === topic)),
    /** The next message of `type` after the `count` such messages already seen. */
    async nth(type: string, count: number) {
      await until(
        () => received.filter((m) => m.type === type).length >= count,
        `${type} #${count}`,
      );
      return received.filter((m) => m.type === type)[count - 1]!;
    },
    async subscribe(topics: string[], lastEventId: number | null = null) {
      const before = received.filter((m) => m.type === 'subscribed').length;
      client.send({ type: 'subscribe', topics, lastEventId });
      return client.nth('subscribed', before + 1);
    },
    /** Waits until the event with this id arrived. */
    async receivedEvent(id: number) {
      await until(() => received.some((m) => m.type === 'event' && m.id === id), `event ${id}`);
    },
    /** The last presence count told for `topic`, if any. */
    presence(topic: string): number | undefined {
      return received.findLast((m) => m.type === 'presence' && m.topic === topic)?.count;
    },
    /** Waits until the last presence count told for `topic` is `count`. */
    async presenceIs(topic: string, count: number) {
      await until(() => client.presence(topic) === count, `presence ${count} on ${topic}`);
    },
    /** Closes the socket from this side and waits until it is closed. */
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    },
    /** Waits for the server to close the socket and answers with its close code. */
    async closed() {
      await until(() => closedWith !== undefined, 'close');
      return closedWith!;
    },
  };
  return client;
}

/**
 * Publishes any payload on any topic, in `tx`: the transport's tests use made-up events, which the
 * hub relays without looking at them. Features publish through publishLiveEvent's typed signature.
 */
export function publishUnchecked(
  tx: Executor,
  topic: string,
  payload: unknown,
): Promise<{ row: number }> {
  return publishLiveEvent(tx, topic as LiveTopic, payload as LivePayload);
}

/**
 * The id clients see for the committed event of row `row`: its position, given now if no hub has
 * given it yet (sequencing is safe from anywhere at any time).
 */
export async function eventIdOf(app: TestApp, row: number): Promise<number> {
  await sequenceLiveEvents(app.app.db);
  const [event] = await app.app.db
    .select({ position: liveEvents.position })
    .from(liveEvents)
    .where(eq(liveEvents.id, row));
  if (event?.position == null) throw new Error(`live event row ${row} has no position`);
  return event.position;
}

/** publishUnchecked in a transaction of its own; answers the event's id as clients see it. */
export async function publish(
  app: TestApp,
  topic: string,
  payload: unknown,
): Promise<{ id: number }> {
  const { row } = await app.app.db.transaction((tx) => publishUnchecked(tx, topic, payload));
  return { id: await eventIdOf(app, row) };
}
