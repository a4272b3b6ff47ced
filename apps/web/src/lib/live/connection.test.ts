import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, WebSocketServer } from 'ws';
import { LiveConnection } from './connection';

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

describe('LiveConnection', () => {
  it('stops and reports a suspended account (4003) instead of reconnecting', async () => {
    const { seen, url } = await closingServer(4003);
    const ended = new Promise<void>((resolve) => {
      const connection = new LiveConnection({
        url,
        WebSocket: NodeWebSocket as unknown as typeof WebSocket,
        initialDelayMs: 10,
        onAccountSuspended: () => resolve(),
      });
      expect(connection.state).toBe('connecting');
    });
    await ended;
    // Several reconnection delays later, still the one connection.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.connections).toBe(1);
  });

  it('reconnects after any other close', async () => {
    const { seen, url } = await closingServer(1001);
    const connection = new LiveConnection({
      url,
      WebSocket: NodeWebSocket as unknown as typeof WebSocket,
      initialDelayMs: 10,
      maxDelayMs: 20,
      onAccountSuspended: () => {
        throw new Error('not suspended');
      },
    });
    await expect.poll(() => seen.connections, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    connection.close();
  });
});
