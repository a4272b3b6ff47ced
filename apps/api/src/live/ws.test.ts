import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect as liveClient, publish, until } from '../../test/fixtures';
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

describe('/api/ws closes what it cannot serve', () => {
  it('closes a socket that keeps sending refused messages (1008)', async () => {
    const client = await liveClient(t);
    for (let i = 0; i < 20; i += 1) client.socket.send('{not json');
    await client.nth('error', 20);
    client.socket.send(JSON.stringify({ type: 'subscribe', topics: ['x'], lastEventId: null }));
    expect(await client.closed()).toMatchObject({ code: 1008 });
    expect(client.received.filter((m) => m.type === 'error')).toHaveLength(20);
  });

  it('closes a socket that floods messages, even valid ones (1008)', async () => {
    const client = await liveClient(t);
    for (let i = 0; i < 400; i += 1) client.send({ type: 'ping' });
    expect(await client.closed()).toMatchObject({ code: 1008 });
    expect(client.received.filter((m) => m.type === 'pong').length).toBeLessThanOrEqual(300);
  });

  it('closes a socket that sends a frame over the hard limit (1009)', async () => {
    const client = await liveClient(t);
    client.socket.send('x'.repeat(65 * 1024));
    expect(await client.closed()).toMatchObject({ code: 1009 });
  });

  it('closes a socket that reads too slowly (1013); it resumes from its bookmark', async () => {
    const slow = await buildTestApp({}, (config) => {
      config.live.maxBufferedBytes = 64 * 1024;
    });
    await slow.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const topic = 'consultation:slow-reader';
      const client = await liveClient(slow);
      await client.subscribe([topic]);
      const first = await publish(slow, topic, { n: 0 });
      await client.receivedEvent(first.id);
      // The client stops reading; the server's buffer for it grows past the limit once the
      // kernel's socket buffers are full.
      client.socket.pause();
      const big = 'ж'.repeat(100 * 1024);
      const ids: number[] = [];
      for (let i = 1; i <= 120; i += 1) ids.push((await publish(slow, topic, { n: i, big })).id);
      await until(
        () => slow.app.liveHub.presenceCount(topic) === 0,
        'the slow socket dropped from the hub',
      );
      client.socket.resume();
      expect(await client.closed()).toMatchObject({ code: 1013 });
      const got = client.events().map((m) => m.id!);
      expect(got.length).toBeLessThan(ids.length + 1);

      const again = await liveClient(slow);
      again.send({ type: 'subscribe', topics: [topic], lastEventId: got.at(-1)! });
      await again.receivedEvent(ids.at(-1)!);
      expect([...got, ...again.events().map((m) => m.id!)]).toEqual([first.id, ...ids]);
      again.socket.close();
    } finally {
      await slow.close();
    }
  });

  it('tells clients the server is going away when it shuts down (1001)', async () => {
    const closing = await buildTestApp();
    await closing.app.listen({ port: 0, host: '127.0.0.1' });
    const client = await liveClient(closing);
    await client.subscribe(['consultation:shutdown']);
    await closing.close();
    expect(await client.closed()).toMatchObject({ code: 1001 });
  });
});
