import {
  createServer,
  type IncomingMessage,
  type Server,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { defaultLocale, localeCookieName, locales } from '@sabor/contracts';
import type { FastifyHttpOptions, FastifyServerFactory } from 'fastify';

/** A page as it was sent: what a visitor asking for the same page in the same language gets. */
export interface KeptPage {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  keptAt: number;
  until: number;
}

/**
 * The key of a request that may be answered from the shared page cache, or undefined. Only a GET
 * of a page with no cookie but the language's and no Authorization header qualifies: such a
 * visitor is not signed in and carries nothing personal (a flash message, a survey respondent's
 * cookie, a session), so every such visitor asking for the same URL in the same language sees the
 * same page. It reads the raw request, so it can run before any plugin has looked at it.
 */
export function sharedPageKey(request: IncomingMessage): string | undefined {
  const url = request.url ?? '/';
  if (request.method !== 'GET' || request.headers.authorization !== undefined) return undefined;
  if (isApiPath(url)) return undefined;
  let locale: string = defaultLocale;
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const equals = pair.indexOf('=');
    const name = (equals === -1 ? pair : pair.slice(0, equals)).trim();
    if (name === '') continue;
    if (name !== localeCookieName) return undefined;
    // As the pages read it: a language we do not offer is the default one.
    locale = locales.find((offered) => offered === pair.slice(equals + 1).trim()) ?? defaultLocale;
  }
  return `${locale}\n${url}`;
}

/** Whether `url` (path and query) is the API's: never a page. */
export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/**
 * Fastify's `serverFactory`: the HTTP server Fastify would make itself, with the settings it would
 * apply (fastify/lib/server.js), whose requests are first offered to the page cache. A fresh kept
 * page is sent before Fastify sees the request (no routing, hooks, rate limit, cookies or session
 * lookup), with the headers it was first sent with; every other request goes on to Fastify, and
 * the pages' route renders (or waits for the render already under way).
 */
export function serverAnsweringKeptPages(cache: PageCache): FastifyServerFactory {
  return (handler, options: FastifyHttpOptions<Server>) => {
    const server = createServer(options.http ?? {}, (request, response) => {
      const key = sharedPageKey(request);
      const kept = key === undefined ? undefined : cache.freshCopy(key);
      if (kept) cache.send(kept, response);
      else handler(request, response);
    });
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
    return server;
  };
}

/**
 * How long a page may be kept, from the `Cache-Control` the page itself sent: only a page that
 * declares itself `public` with an `s-maxage` (see the web's `shareWithVisitors`) is kept, and
 * never one that sets a cookie or is not a 200.
 */
function keepSeconds(status: number, headers: OutgoingHttpHeaders): number {
  if (status !== 200 || headers['set-cookie'] !== undefined) return 0;
  const control = String(headers['cache-control'] ?? '').toLowerCase();
  if (!/(^|,)\s*public\s*(,|$)/.test(control)) return 0;
  const match = /(?:^|,)\s*s-maxage=(\d+)/.exec(control);
  return match ? Number(match[1]) : 0;
}

/**
 * A short shared cache of anonymous public pages (home, lists, an open consultation, a survey's
 * results, an event), so that a rush of visitors costs one render per page and language per
 * second instead of one each. It is safe because every such page carries the live bookmark it was
 * rendered at and its socket replays whatever happened after. Visitors asking for a page while it
 * is being rendered wait for that render instead of starting their own.
 */
export class PageCache {
  readonly #kept = new Map<string, KeptPage>();
  readonly #rendering = new Map<string, Promise<KeptPage | undefined>>();

  /**
   * @param maxSeconds the longest a page is kept, whatever it asks for (0 turns the cache off)
   * @param maxEntries pages kept at most; the oldest are dropped first
   */
  constructor(
    readonly maxSeconds: number,
    private readonly maxEntries = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.maxSeconds > 0;
  }

  /**
   * Answers `key` from the cache when a fresh copy is kept or being rendered (true), otherwise
   * returns false and the caller renders with `capture`.
   */
  async serve(key: string, res: ServerResponse): Promise<boolean> {
    const kept = this.#fresh(key) ?? (await this.#rendering.get(key));
    if (!kept) return false;
    this.send(kept, res);
    return true;
  }

  /** The copy of `key` still fresh now, if any (a render under way is not waited for). */
  freshCopy(key: string): KeptPage | undefined {
    return this.#fresh(key);
  }

  /** Sends a kept page as it was first sent, with its age. */
  send(kept: KeptPage, res: ServerResponse): void {
    const age = Math.max(0, Math.floor((this.now() - kept.keptAt) / 1000));
    res.writeHead(kept.status, { ...kept.headers, age: String(age) });
    res.end(kept.body);
  }

  /**
   * Records what is sent on `res` for `key`, and keeps it if the page allows. Visitors who ask
   * for the same page meanwhile wait for this render.
   */
  capture(key: string, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let settle!: (page: KeptPage | undefined) => void;
    const rendering = new Promise<KeptPage | undefined>((resolve) => (settle = resolve));
    this.#rendering.set(key, rendering);
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const collect = (chunk: unknown, encoding: unknown) => {
      if (typeof chunk === 'string') {
        chunks.push(
          Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'),
        );
      } else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && typeof chunk !== 'function') collect(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
    const finish = (page: KeptPage | undefined) => {
      if (this.#rendering.get(key) === rendering) this.#rendering.delete(key);
      if (page) this.#keep(key, page);
      settle(page);
    };
    res.once('finish', () => {
      const headers = res.getHeaders();
      const seconds = Math.min(keepSeconds(res.statusCode, headers), this.maxSeconds);
      const keptAt = this.now();
      finish(
        seconds > 0
          ? {
              status: res.statusCode,
              headers,
              body: Buffer.concat(chunks),
              keptAt,
              until: keptAt + seconds * 1000,
            }
          : undefined,
      );
    });
    // A response that never finished (the visitor went away mid-page) is not kept.
    res.once('close', () => finish(undefined));
  }

  #fresh(key: string): KeptPage | undefined {
    const kept = this.#kept.get(key);
    if (!kept) return undefined;
    if (kept.until > this.now()) return kept;
    this.#kept.delete(key);
    return undefined;
  }

  #keep(key: string, page: KeptPage): void {
    this.#kept.delete(key);
    this.#kept.set(key, page);
    // Maps iterate in insertion order: the first keys are the oldest.
    for (const oldest of this.#kept.keys()) {
      if (this.#kept.size <= this.maxEntries) break;
      this.#kept.delete(oldest);
    }
  }
}
