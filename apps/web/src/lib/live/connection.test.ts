import type { AddressInfo } from 'node:net';
import { surveyTopic, type LiveEventOf } from '@sabor/contracts/live';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { LiveConnection, type ReconnectTimers } from './connection';

let server: WebSocketServer | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that greets each socket, then closes it with `code`; counts the connections. */
async function closingServer(code: number) {
  const seen = { connections: 0 };
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (socket) => {
    seen.connections += 1;
    socket.send(JSON.stringify({ type: 'welcome', userId: null, protocol: 1 }));
    setTimeout(() => socket.close(code, 'closing'), 10);
  });
  await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/ws`;
  return { seen, url };
}

/** A server that answers each socket's subscribe with `events` (payloads), ids from 1; counts sockets. */
async function eventServer(events: unknown[]) {
  const seen = { connections: 0 };
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  server.on('connection', (socket) => {
    seen.connections += 1;
    socket.send(JSON.stringify({ type: 'welcome', userId: null, protocol: 1 }));
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; topics?: string[] };
      if (message.type !== 'subscribe' || !message.topics) return;
      const [topic] = message.topics;
      socket.send(JSON.stringify({ type: 'subscribed', topics: message.topics, lastEventId: 0 }));
      events.forEach((payload, i) =>
        socket.send(JSON.stringify({ type: 'event', id: i + 1, topic, payload })),
      );
    });
  });
  await new Promise<void>((resolve) => server!.once('listening', () => resolve()));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/ws`;
  return { seen, url };
}

/** The global timers, recording the delay of each reconnection the connection schedules. */
function recordingTimers(): { timers: ReconnectTimers; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    timers: {
      setTimeout: (run, delayMs) => {
        delays.push(delayMs);
        return setTimeout(run, delayMs);
      },
      clearTimeout: (timer) => clearTimeout(timer),
    },
  };
}

describe('LiveConnection', () => {
  it("parses each event with its topic's events, and leaves out what does not parse", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { seen, url } = await eventServer([
      { type: 'results_changed', responseCount: 1 },
      { type: 'results_changed', responseCount: 'two' },
      { type: 'seats_changed', seatsLeft: 3, waitlisted: 0 },
      { type: 'results_changed' },
      { type: 'results_changed', responseCount: 5 },
    ]);
    const connection = new LiveConnection({
      url,
      WebSocket: NodeWebSocket as unknown as typeof WebSocket,
    });
    const received: { id: number; payload: LiveEventOf<'survey'> }[] = [];
    try {
      connection.follow(surveyTopic('s1'), 0, {
        event: ({ id, payload }) => received.push({ id, payload }),
        resync: () => {
          throw new Error('no resync expected');
        },
      });
      await expect.poll(() => received.map((event) => event.id), { timeout: 5000 }).toEqual([1, 5]);
      expect(received[1]?.payload).toEqual({ type: 'results_changed', responseCount: 5 });
      expect(warn).toHaveBeenCalledTimes(3);
      expect(connection.state).toBe('online');
      expect(seen.connections).toBe(1);
    } finally {
      connection.close();
      warn.mockRestore();
    }
  });

  it('stops and reports a suspended account (4003) instead of reconnecting', async () => {
    const { seen, url } = await closingServer(4003);
    const { timers, delays } = recordingTimers();
    let connection: LiveConnection | undefined;
    await new Promise<void>((resolve) => {
      connection = new LiveConnection({
        url,
        WebSocket: NodeWebSocket as unknown as typeof WebSocket,
        initialDelayMs: 10,
        reconnectTimers: timers,
        onAccountSuspended: () => resolve(),
      });
      expect(connection.state).toBe('connecting');
    });
    // A reconnection is only ever scheduled on these timers: none was, and the connection is
    // closed for good (a later close or error of the old socket schedules none either).
    expect(delays).toEqual([]);
    expect(connection!.state).toBe('offline');
    expect(seen.connections).toBe(1);
  });

  it('reconnects after any other close', async () => {
    const { seen, url } = await closingServer(1001);
    const { timers, delays } = recordingTimers();
    const connection = new LiveConnection({
      url,
      WebSocket: NodeWebSocket as unknown as typeof WebSocket,
      initialDelayMs: 10,
      maxDelayMs: 20,
      reconnectTimers: timers,
      onAccountSuspended: () => {
        throw new Error('not suspended');
      },
    });
    await expect.poll(() => seen.connections, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(delays.length).toBeGreaterThanOrEqual(1);
    connection.close();
  });
});
