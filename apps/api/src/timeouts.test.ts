import { connect as connectSocket, type AddressInfo } from 'node:net';
import type { ConsultationDocument } from '@sabor/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftConsultation, connect as liveClient } from '../test/fixtures';
import { pdf } from '../test/files';
import { buildTestApp, origin, signUp, type TestApp } from '../test/helper';

// Short limits so the test ends soon; the request timeout still leaves a 19 MB upload over
// loopback plenty of time.
const timeouts = {
  REQUEST_TIMEOUT_MS: '8000',
  HEADERS_TIMEOUT_MS: '2000',
  KEEP_ALIVE_TIMEOUT_MS: '3000',
};

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await buildTestApp(timeouts);
  // A real server: inject() has no sockets, and the limits live in Node's HTTP server.
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await t.close();
});

const announcedBytes = 1024 * 1024;

/**
 * A client that announces a 1 MB body and sends it one byte at a time until the server closes the
 * connection. Resolves with what the server answered and how many body bytes were sent.
 */
function trickle(path: string): Promise<{ answer: string; sent: number }> {
  return new Promise((resolve) => {
    const socket = connectSocket(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    let drip: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${announcedBytes}\r\n\r\n`,
      );
      drip = setInterval(() => {
        if (!socket.writable) return;
        socket.write(' ');
        sent += 1;
      }, 50);
    });
    socket.on('data', (chunk: string) => (answer += chunk));
    // A reset after the 408 is the server closing too.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      resolve({ answer, sent });
    });
  });
}

describe('slow clients cannot hold connections open', () => {
  it('cuts off request bodies that trickle in, and leaves open WebSockets alone', async () => {
    const live = await liveClient(t);
    const slow = await Promise.all([
      trickle('/api/auth/login'),
      trickle('/api/auth/register'),
      trickle('/api/auth/forgot-password'),
      trickle('/api/auth/login'),
      trickle('/api/auth/login'),
    ]);
    for (const { answer, sent } of slow) {
      expect(sent).toBeLessThan(announcedBytes);
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    }
    // The socket opened before the limit passed, and its upgrade request is complete: it stays.
    live.send({ type: 'ping' });
    expect(await live.nth('pong', 1)).toEqual({ type: 'pong' });
    live.socket.close();
  });

  it('still takes a 19 MB document from an admin under the same limits', async () => {
    const admin = await signUp(t, { role: 'admin' });
    const consultation = await draftConsultation(t, admin.cookie);
    const form = new FormData();
    form.append('title', 'Проект на общ устройствен план');
    const file = pdf('Obsht ustroystven plan', 19 * 1024 * 1024);
    form.append('file', new Blob([file], { type: 'application/pdf' }), 'plan.pdf');
    const response = await fetch(
      `http://127.0.0.1:${port}/api/admin/consultations/${consultation.id}/documents`,
      { method: 'POST', headers: { origin, cookie: admin.cookie }, body: form },
    );
    expect(response.status).toBe(201);
    expect(((await response.json()) as ConsultationDocument).size).toBe(file.byteLength);
  });

  it('applies the configured headers and keep-alive timeouts', () => {
    expect(t.app.server.requestTimeout).toBe(8000);
    expect(t.app.server.headersTimeout).toBe(2000);
    expect(t.app.server.keepAliveTimeout).toBe(3000);
  });
});
