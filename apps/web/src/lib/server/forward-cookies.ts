import type { Cookies } from '@sveltejs/kit';
import setCookieParser from 'set-cookie-parser';

type SameSite = 'lax' | 'strict' | 'none';

function sameSite(value: string | undefined): SameSite | undefined {
  const lower = value?.toLowerCase();
  return lower === 'lax' || lower === 'strict' || lower === 'none' ? lower : undefined;
}

/** The Set-Cookie headers of a response, one per cookie. */
export function setCookieHeaders(headers: Headers): string[] {
  const list = headers.getSetCookie();
  if (list.length > 0) return list;
  const joined = headers.get('set-cookie');
  return joined ? setCookieParser.splitCookiesString(joined) : [];
}

/**
 * Passes every cookie the API set (session on sign-in, cleared session on sign-out) on to the
 * browser unchanged. SvelteKit would otherwise default `secure` and `httpOnly` to true and
 * URI-encode the value, so each attribute is given explicitly.
 */
export function forwardSetCookies(headers: Headers, cookies: Cookies): void {
  for (const header of setCookieHeaders(headers)) {
    const cookie = setCookieParser.parseString(header, { decodeValues: false });
    const options = {
      path: cookie.path ?? '/',
      domain: cookie.domain,
      httpOnly: cookie.httpOnly ?? false,
      secure: cookie.secure ?? false,
      sameSite: sameSite(cookie.sameSite),
      encode: (value: string) => value,
    };
    const expired =
      cookie.maxAge !== undefined
        ? cookie.maxAge <= 0
        : cookie.expires !== undefined && cookie.expires.getTime() <= Date.now();
    if (expired) {
      cookies.delete(cookie.name, options);
    } else {
      cookies.set(cookie.name, cookie.value, {
        ...options,
        expires: cookie.expires,
        maxAge: cookie.maxAge,
      });
    }
  }
}
