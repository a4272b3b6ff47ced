import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildTestApp, origin, signUp, type TestApp } from '../../test/helper';

let t: TestApp;
let url: string;
beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/ws`;
});
afterAll(async () => {
  await t.close();
});

/** Opens a socket and collects what the server sends. */
function connect(headers: Record<string, string>) {
  const socket = new WebSocket(url, { headers });
  const received: unknown[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data: Buffer) => {
    received.push(JSON.parse(data.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (count: number) => {
    while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return received[count - 1];
  };
  return { socket, next };
}

describe('/api/ws', () => {
  it('welcomes an anonymous visitor and answers ping', async () => {
    const { socket, next } = connect({ origin });
    expect(await next(1)).toEqual({ type: 'welcome', userId: null, protocol: 1 });
    socket.send(JSON.stringify({ type: 'ping', id: 'a1' }));
    expect(await next(2)).toEqual({ type: 'pong', id: 'a1' });
    socket.close();
  });

  it('knows the signed-in person from the session cookie', async () => {
    const { cookie, id } = await signUp(t);
    const { socket, next } = connect({ origin, cookie });
    expect(await next(1)).toMatchObject({ type: 'welcome', userId: id });
    socket.close();
  });

  it('answers malformed, unknown and oversized messages with an error in the visitor’s language and stays open', async () => {
    const { socket, next } = connect({ origin, 'accept-language': 'en' });
    await next(1);
    socket.send('{not json');
    expect(await next(2)).toEqual({
      type: 'error',
      code: 'invalid_message',
      message: 'Invalid message.',
    });
    socket.send(JSON.stringify({ type: 'subscribe', topic: "'; drop table users; --" }));
    expect(await next(3)).toMatchObject({ type: 'error', code: 'invalid_message' });
    socket.send(JSON.stringify({ type: 'ping', id: 'x'.repeat(20_000) }));
    expect(await next(4)).toMatchObject({ type: 'error', code: 'message_too_large' });
    socket.send(JSON.stringify({ type: 'ping' }));
    expect(await next(5)).toEqual({ type: 'pong' });
    socket.close();
  });

  it('refuses pages of other sites', async () => {
    const socket = new WebSocket(url, { headers: { origin: 'https://evil.example' } });
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
  });
});
