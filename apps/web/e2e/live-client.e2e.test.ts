import { createServer, connect, type Server, type Socket } from 'node:net';
import type { CommentList, LiveEvent } from '@sabor/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { LiveConnection, type ConnectionState } from '../src/lib/live/connection';
import { demo, openConsultationId, sharedSabor, type Sabor } from './harness';

/**
 * The browser's live client (src/lib/live/connection.ts) against the real server, through a TCP
 * proxy this test can cut: the "network" drops while comments are posted, and the client must
 * come back on its own and receive exactly what it missed.
 */

/** A TCP proxy to the server whose connections can all be cut at once. */
async function startProxy(target: URL): Promise<{ port: number; cut(): void; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    server,
  };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('live client', () => {
  let sabor: Sabor;
  let cookie: string;
  let consultationId: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sabor.origin}${path}`, {
      ...init,
      headers: {
        origin: sabor.origin,
        'content-type': 'application/json',
        cookie,
        ...init.headers,
      },
    });

  beforeAll(async () => {
    sabor = sharedSabor();
    const login = await fetch(`${sabor.origin}/api/auth/login`, {
      method: 'POST',
      headers: { origin: sabor.origin, 'content-type': 'application/json' },
      body: JSON.stringify(demo.resident),
    });
    expect(login.status).toBe(200);
    cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    consultationId = await openConsultationId(sabor);
  });

  it('reconnects by itself after the link drops and receives exactly what it missed', async () => {
    const proxy = await startProxy(new URL(sabor.origin));
    const origin = sabor.origin;
    // The browser sends the page's Origin; the `ws` package needs to be told.
    class BrowserLikeWebSocket extends NodeWebSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    }
    const states: ConnectionState[] = [];
    const received: LiveEvent[] = [];
    const first = (await (
      await api(`/api/consultations/${consultationId}/comments`)
    ).json()) as CommentList;
    const live = new LiveConnection({
      url: `ws://127.0.0.1:${proxy.port}/api/ws`,
      WebSocket: BrowserLikeWebSocket as unknown as typeof WebSocket,
      onState: (state) => states.push(state),
      initialDelayMs: 100,
      maxDelayMs: 400,
    });
    try {
      live.follow(`consultation:${consultationId}`, first.lastEventId, {
        event: (event) => received.push(event),
        resync: () => {
          throw new Error('no resync expected');
        },
      });
      await waitFor(() => live.state === 'online', 'the first connection');

      const post = async (n: number) => {
        const response = await api(`/api/consultations/${consultationId}/comments`, {
          method: 'POST',
          body: JSON.stringify({ body: `Коментар на живо ${n}`, stance: 'neutral' }),
        });
        expect(response.status).toBe(201);
      };
      await post(1);
      await waitFor(() => received.length === 1, 'the first live comment');

      // The link drops (the proxy closes every connection and refuses none: the client
      // reconnects through it) while five comments are posted directly to the server.
      proxy.cut();
      await waitFor(() => states.includes('offline'), 'the client to notice');
      for (let n = 2; n <= 6; n++) await post(n);
      await waitFor(() => received.length === 6, 'the missed comments after reconnecting');

      const bodies = received.map(
        (event) => (event.payload as { comment: { body: string } }).comment.body,
      );
      expect(bodies).toEqual([1, 2, 3, 4, 5, 6].map((n) => `Коментар на живо ${n}`));
      const ids = received.map((event) => event.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(ids).size).toBe(6);
      expect(states).toContain('offline');
      expect(states.at(-1)).toBe('online');
    } finally {
      live.close();
      proxy.server.close();
    }
  });
});
