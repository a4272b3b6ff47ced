import cookie from '@fastify/cookie';
import { localeCookieName } from '@sabor/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PageCache, serverAnsweringKeptPages, sharedPageKey } from './page-cache';

/**
 * A page server in front of the cache, as web.ts puts it in front of SvelteKit: each render counts,
 * answers with what the test asks for, and can be held open to show that others wait for it.
 */
let app: FastifyInstance;
let clock = 0;
let renders = 0;
let arrivals = 0;
let cache: PageCache;
let cacheControl: string | null;
let setCookie = false;
let status = 200;
let holdRender: Promise<void> | null = null;

beforeAll(async () => {
  app = Fastify();
  await app.register(cookie);
  app.get('/*', async (request, reply) => {
    arrivals += 1;
    reply.hijack();
    const key = cache.enabled ? sharedPageKey(request.raw) : undefined;
    if (key !== undefined) {
      if (await cache.serve(key, reply.raw)) return;
      cache.capture(key, reply.raw);
    }
    renders += 1;
    const render = renders;
    if (holdRender) await holdRender;
    reply.raw.statusCode = status;
    reply.raw.setHeader('content-type', 'text/html; charset=utf-8');
    if (cacheControl) reply.raw.setHeader('cache-control', cacheControl);
    if (setCookie) reply.raw.setHeader('set-cookie', 'sabor_flash=x; Path=/');
    reply.raw.write(`<p>render ${render} of ${request.url} `);
    reply.raw.end(`(${request.cookies[localeCookieName] ?? 'bg'})</p>`);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  clock = 1_000_000;
  renders = 0;
  arrivals = 0;
  cache = new PageCache(1, 3, () => clock);
  cacheControl = 'public, max-age=0, s-maxage=1';
  setCookie = false;
  status = 200;
  holdRender = null;
});

const origin = () => {
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};
const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${origin()}${path}`, { headers });
  return { status: response.status, age: response.headers.get('age'), body: await response.text() };
};

describe('the shared page cache', () => {
  it('serves an anonymous page again for its s-maxage, then renders it anew', async () => {
    const first = await get('/');
    const again = await get('/');
    expect(again).toEqual({ status: 200, age: '0', body: first.body });
    expect(renders).toBe(1);
    clock += 999;
    expect((await get('/')).body).toBe(first.body);
    clock += 1;
    expect((await get('/')).body).toBe('<p>render 2 of / (bg)</p>');
  });

  it('keeps each URL and each language apart', async () => {
    const bg = await get('/consultations');
    const en = await get('/consultations', { cookie: `${localeCookieName}=en` });
    const other = await get('/events');
    expect([bg.body, en.body, other.body]).toEqual([
      '<p>render 1 of /consultations (bg)</p>',
      '<p>render 2 of /consultations (en)</p>',
      '<p>render 3 of /events (bg)</p>',
    ]);
    expect((await get('/consultations', { cookie: `${localeCookieName}=en` })).body).toBe(en.body);
    // A language the site does not offer is the default one, as the pages read it: no new copy.
    expect((await get('/consultations', { cookie: `${localeCookieName}=xx` })).body).toBe(bg.body);
    expect(renders).toBe(3);
  });

  it('never answers a visitor with any other cookie or credentials from it, nor keeps their page', async () => {
    await get('/');
    const visitors: Record<string, string>[] = [
      { cookie: 'sabor_session=abc' },
      { cookie: `${localeCookieName}=en; sabor_flash=flash.saved` },
      { authorization: 'Bearer abc' },
    ];
    for (const headers of visitors) {
      const response = await get('/', headers);
      expect(response.age).toBeNull();
    }
    expect(renders).toBe(4);
    expect((await get('/')).body).toBe('<p>render 1 of / (bg)</p>');
  });

  it('keeps only pages that ask to be shared, answer 200 and set no cookie', async () => {
    for (const [control, cookie, code] of [
      [null, false, 200],
      ['private, no-store', false, 200],
      ['public, max-age=60', false, 200],
      ['public, s-maxage=1', true, 200],
      ['public, s-maxage=1', false, 404],
    ] as const) {
      cacheControl = control;
      setCookie = cookie;
      status = code;
      await get('/page');
      expect((await get('/page')).age, `${control} ${cookie} ${code}`).toBeNull();
    }
  });

  it('keeps a page no longer than its own limit allows', async () => {
    cacheControl = 'public, s-maxage=10';
    await get('/');
    clock += 1000;
    await get('/');
    expect(renders).toBe(2);
  });

  it('renders a page once for the visitors who ask while it is being rendered', async () => {
    let release!: () => void;
    holdRender = new Promise((resolve) => (release = resolve));
    const waiting = Promise.all([get('/'), get('/'), get('/')]);
    // All three have arrived while the first is still rendering.
    while (arrivals < 3) await new Promise((resolve) => setImmediate(resolve));
    release();
    const answers = await waiting;
    expect(new Set(answers.map((answer) => answer.body))).toEqual(
      new Set(['<p>render 1 of / (bg)</p>']),
    );
    expect(renders).toBe(1);
  });

  it('keeps a bounded number of pages, dropping the oldest', async () => {
    for (const path of ['/a', '/b', '/c', '/d']) await get(path);
    await get('/d');
    await get('/a');
    expect(renders).toBe(5);
  });

  it('is off with 0 seconds', async () => {
    cache = new PageCache(0, 3, () => clock);
    await get('/');
    await get('/');
    expect(renders).toBe(2);
  });
});

describe('answering kept pages before Fastify', () => {
  /** A server as app.ts builds it: kept pages answered first, then a hook standing for the others. */
  let server: FastifyInstance;
  let hooksReached = 0;
  let refuse = false;
  const early = new PageCache(1, 10, () => clock);

  beforeAll(async () => {
    server = Fastify({ serverFactory: serverAnsweringKeptPages(early), keepAliveTimeout: 4321 });
    await server.register(cookie);
    server.addHook('onRequest', async (_request, reply) => {
      hooksReached += 1;
      // Standing for the rate limit, the session lookup and the security headers' work.
      if (refuse) return reply.code(429).send('too many');
    });
    server.get('/*', async (request, reply) => {
      reply.hijack();
      const key = sharedPageKey(request.raw);
      if (key !== undefined) early.capture(key, reply.raw);
      reply.raw.setHeader('cache-control', 'public, max-age=0, s-maxage=1');
      reply.raw.setHeader('x-frame-options', 'DENY');
      reply.raw.end(`<p>${request.url}</p>`);
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
  });

  const at = (path: string, headers: Record<string, string> = {}) => {
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return fetch(`http://127.0.0.1:${port}${path}`, { headers });
  };

  it('makes the server Fastify would, with its settings', () => {
    expect(server.server.keepAliveTimeout).toBe(4321);
  });

  it('answers a fresh copy before any hook runs, with the headers it was sent with', async () => {
    hooksReached = 0;
    refuse = false;
    await (await at('/first')).text();
    expect(hooksReached).toBe(1);
    refuse = true;
    const again = await at('/first');
    expect(again.status).toBe(200);
    expect(again.headers.get('x-frame-options')).toBe('DENY');
    expect(await again.text()).toBe('<p>/first</p>');
    expect(hooksReached).toBe(1);
  });

  it('lets every other request through: the API, a visitor with a session, a stale copy', async () => {
    hooksReached = 0;
    refuse = false;
    await (await at('/api/health')).text();
    await (await at('/api/health')).text();
    await (await at('/second')).text();
    await (await at('/second', { cookie: 'sabor_session=abc' })).text();
    clock += 1000;
    await (await at('/second')).text();
    expect(hooksReached).toBe(5);
  });
});
