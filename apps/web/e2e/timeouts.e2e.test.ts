import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSabor, type Sabor } from './harness';

// The pages share the API's HTTP server, so its request and headers timeouts hold them too.
let sabor: Sabor;
beforeAll(async () => {
  sabor = await startSabor({ REQUEST_TIMEOUT_MS: '3000', HEADERS_TIMEOUT_MS: '2000' });
});
afterAll(async () => {
  await sabor?.stop();
});

/**
 * Sends `head` and then a byte at a time (announcing far more) until the server closes the
 * connection; resolves with what the server answered.
 */
function trickle(head: string): Promise<string> {
  const { hostname, port } = new URL(sabor.origin);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    let drip: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(head);
      drip = setInterval(() => {
        if (socket.writable) socket.write(head.endsWith('\r\n\r\n') ? 'x' : 'X-Slow: 1\r\n');
      }, 50);
    });
    socket.on('data', (chunk: string) => (answer += chunk));
    // A reset after the 408 is the server closing too.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      resolve(answer);
    });
  });
}

function formPost(path: string): string {
  const host = new URL(sabor.origin).host;
  return (
    `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${sabor.origin}\r\nAccept: text/html\r\n` +
    `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1048576\r\n\r\n`
  );
}

describe('slow clients of the pages', () => {
  it('are cut off when a form body or the headers trickle in', async () => {
    const host = new URL(sabor.origin).host;
    const answers = await Promise.all([
      trickle(formPost('/login')),
      trickle(formPost('/language')),
      trickle(formPost('/register')),
      trickle(`GET /consultations HTTP/1.1\r\nHost: ${host}\r\n`),
    ]);
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('still get pages and forms at a normal pace', async () => {
    const page = await fetch(`${sabor.origin}/consultations`);
    expect(page.status).toBe(200);
    const language = await fetch(`${sabor.origin}/language`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        origin: sabor.origin,
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ locale: 'en', redirectTo: '/events' }),
    });
    expect(language.status).toBe(303);
  });
});
