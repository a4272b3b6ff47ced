import type { Cookies } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';
import { forwardSetCookies } from './forward-cookies';

function fakeCookies() {
  return {
    set: vi.fn<(name: string, value: string, options: Record<string, unknown>) => void>(),
    delete: vi.fn<(name: string, options: Record<string, unknown>) => void>(),
  };
}

function headersWith(...cookies: string[]): Headers {
  const headers = new Headers();
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return headers;
}

describe('forwardSetCookies', () => {
  it('passes the session cookie on with its exact attributes and raw value', () => {
    const cookies = fakeCookies();
    forwardSetCookies(
      headersWith('sabor_session=abc%2B123; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax'),
      cookies as unknown as Cookies,
    );
    expect(cookies.set).toHaveBeenCalledOnce();
    const [name, value, options] = cookies.set.mock.calls[0] ?? [];
    expect([name, value]).toEqual(['sabor_session', 'abc%2B123']);
    expect(options).toMatchObject({
      path: '/',
      maxAge: 2592000,
      httpOnly: true,
      secure: false,
      sameSite: 'lax',
    });
    const encode = options?.encode as (value: string) => string;
    expect(encode('a%2B')).toBe('a%2B');
  });

  it('keeps Secure when the API sets it', () => {
    const cookies = fakeCookies();
    forwardSetCookies(
      headersWith('s=1; Path=/; HttpOnly; Secure; SameSite=Strict'),
      cookies as unknown as Cookies,
    );
    expect(cookies.set.mock.calls[0]?.[2]).toMatchObject({ secure: true, sameSite: 'strict' });
  });

  it('deletes cookies the API clears', () => {
    const cookies = fakeCookies();
    forwardSetCookies(
      headersWith(
        'a=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax',
        'b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      ),
      cookies as unknown as Cookies,
    );
    expect(cookies.set).not.toHaveBeenCalled();
    expect(cookies.delete.mock.calls.map((call) => call[0])).toEqual(['a', 'b']);
  });
});
