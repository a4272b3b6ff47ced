import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { localeCookieName } from '@sabor/contracts';
import type { FastifyRequest } from 'fastify';

/** A page as it was sent: what a visitor asking for the same page in the same language gets. */
interface KeptPage {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
  keptAt: number;
  until: number;
}

/**
 * The key of a request that may be answered from the shared page cache, or undefined. Only a GET
 * with no cookie but the language's and no Authorization header qualifies: such a visitor is not
 * signed in and carries nothing personal (a flash message, a survey respondent's cookie, a
 * session), so every such visitor asking for the same URL in the same language sees the same page.
 */
export function sharedPageKey(request: FastifyRequest): string | undefined {
  if (request.method !== 'GET' || request.headers.authorization !== undefined) return undefined;
  const names = Object.keys(request.cookies);
  if (names.some((name) => name !== localeCookieName)) return undefined;
  return `${request.cookies[localeCookieName] ?? ''}\n${request.url}`;
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
    const age = Math.max(0, Math.floor((this.now() - kept.keptAt) / 1000));
    res.writeHead(kept.status, { ...kept.headers, age: String(age) });
    res.end(kept.body);
    return true;
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
