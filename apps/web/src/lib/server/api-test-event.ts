import type { Cookies } from '@sveltejs/kit';
import { vi } from 'vitest';
import type { Locale } from '@sabor/contracts';

/**
 * What the web's API client needs of a request event, for its unit tests: `respond` plays the API
 * (over the event's fetch, as when pages are served apart from the API) and `calls` records what
 * the client sent.
 */
export function apiTestEvent(
  respond: (url: string, init: RequestInit) => Response | Promise<Response>,
  locale: Locale = 'en',
) {
  const fetch = vi.fn<(url: string, init: RequestInit) => Promise<Response>>(async (url, init) =>
    respond(url, init),
  );
  const cookies = { set: vi.fn(), delete: vi.fn() } as unknown as Cookies;
  return {
    fetch: fetch as unknown as typeof globalThis.fetch,
    cookies,
    locals: { user: null, locale },
    calls: fetch.mock.calls,
  };
}

/** A JSON answer of the API. */
export const jsonResponse = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
