import type { RequestEvent } from '@sveltejs/kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { env } from '$lib/server/env';
import { handleFetch } from './hooks.server';

function fakeEvent() {
  return {
    url: new URL('https://sabor.example.bg/account?tab=1'),
    request: new Request('https://sabor.example.bg/account', {
      headers: { 'user-agent': 'TestBrowser/1.0', cookie: 'stale=1' },
    }),
    cookies: {
      getAll: () => [
        { name: 'sabor_session', value: 'token123' },
        { name: 'sabor_locale', value: 'en' },
      ],
    },
    locals: { user: null, locale: 'en' },
    getClientAddress: () => '203.0.113.7',
  } as unknown as RequestEvent;
}

afterEach(() => vi.restoreAllMocks());

describe('handleFetch', () => {
  it('sends /api/ requests to the API with the visitor’s cookies and forwarding headers', async () => {
    const upstream = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response('{}', { status: 200 }));
    const kitFetch = vi.fn<typeof fetch>();
    const request = new Request('https://sabor.example.bg/api/account?x=1', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"locale":"bg"}',
    });

    await handleFetch({ event: fakeEvent(), request, fetch: kitFetch });

    expect(kitFetch).not.toHaveBeenCalled();
    const [url, init] = upstream.mock.calls[0] ?? [];
    expect(url).toBe(`${env.SABOR_API_URL}/api/account?x=1`);
    expect(init?.method).toBe('PATCH');
    expect(new TextDecoder().decode(init?.body as ArrayBuffer)).toBe('{"locale":"bg"}');
    const headers = new Headers(init?.headers);
    expect(Object.fromEntries(headers)).toMatchObject({
      cookie: 'sabor_session=token123; sabor_locale=en',
      origin: 'https://sabor.example.bg',
      'x-forwarded-host': 'sabor.example.bg',
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '203.0.113.7',
      'accept-language': 'en',
      'user-agent': 'TestBrowser/1.0',
      'content-type': 'application/json',
    });
  });

  it('leaves other requests to SvelteKit', async () => {
    const upstream = vi.spyOn(globalThis, 'fetch');
    const kitFetch = vi.fn<typeof fetch>().mockResolvedValue(new Response('ok'));
    const request = new Request('https://other.example/api/thing');

    await handleFetch({ event: fakeEvent(), request, fetch: kitFetch });

    expect(kitFetch).toHaveBeenCalledWith(request);
    expect(upstream).not.toHaveBeenCalled();
  });
});
