import { inProcessApi, type InProcessRequest } from '@sabor/contracts/in-process';
import type { RequestEvent } from '@sveltejs/kit';
import { env } from './env';

type TransportEvent = Pick<RequestEvent, 'cookies' | 'locals'>;

/** The visitor's cookies as the page currently holds them (a sign-in earlier in it included). */
export function cookieHeader(event: TransportEvent): string {
  return event.cookies
    .getAll({ decode: (value) => value })
    .filter((c) => c.value !== '')
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
}

function responseHeaders(raw: Record<string, string | string[] | number | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, String(item));
  }
  return headers;
}

const bodiless = new Set([101, 204, 205, 304]);

/**
 * Sends one API request for the page being rendered. When the API runs in this process (the
 * default), it is a function call: no connection, no second session lookup, no rate-limit budget.
 * Otherwise (`pnpm dev`, where Vite serves the pages) it goes over HTTP to SABOR_API_URL with the
 * headers the API needs for its origin check, rate limits and language.
 */
export async function sendToApi(
  event: TransportEvent & Partial<Pick<RequestEvent, 'url' | 'getClientAddress' | 'request'>>,
  request: InProcessRequest,
): Promise<Response> {
  const api = inProcessApi();
  const headers: Record<string, string> = { ...request.headers };
  const cookie = cookieHeader(event);
  if (cookie) headers.cookie = cookie;
  else delete headers.cookie;
  headers['accept-language'] = event.locals.locale;
  if (api?.page()) {
    const answer = await api.request({ ...request, headers });
    const body = bodiless.has(answer.status) ? null : answer.body;
    return new Response(body, { status: answer.status, headers: responseHeaders(answer.headers) });
  }
  if (event.url) {
    headers.origin = event.url.origin;
    headers['x-forwarded-host'] = event.url.host;
    headers['x-forwarded-proto'] = event.url.protocol.replace(/:$/, '');
  }
  if (event.getClientAddress) headers['x-forwarded-for'] = event.getClientAddress();
  const userAgent = event.request?.headers.get('user-agent');
  if (userAgent) headers['user-agent'] = userAgent;
  return globalThis.fetch(`${env.SABOR_API_URL}${request.url}`, {
    method: request.method,
    headers,
    body: request.body,
    redirect: 'manual',
  });
}
