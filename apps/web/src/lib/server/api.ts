import {
  errorBodySchema,
  errorMessages,
  type ErrorBody,
  type ErrorCode,
} from '@sabor/contracts';
import {
  fillPath,
  isFileResponse,
  routes,
  type RouteContract,
  type RouteInput,
  type RouteResult,
  type Routes,
} from '@sabor/contracts';
import type { RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { inProcessApi } from '@sabor/contracts/in-process';
import { sendToApi } from './api-transport';
import { forwardSetCookies } from './forward-cookies';

export type ApiError = ErrorBody['error'];
export interface ApiFailure {
  ok: false;
  status: number;
  error: ApiError;
  /** Seconds from a Retry-After header (429 responses). */
  retryAfter?: number;
  /** The whole error answer, for the few with more than `error` (parse it with their contract). */
  body?: unknown;
}
export type ApiResult<T> = { ok: true; status: number; data: T } | ApiFailure;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, unknown>;
interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as multipart/form-data (file uploads) instead of a JSON body. */
  form?: FormData;
  query?: Query;
  /** Sent as Idempotency-Key: a repeated form post replays the first answer. */
  idempotencyKey?: string;
}
type ApiEvent = Pick<RequestEvent, 'fetch' | 'cookies' | 'locals'>;

function failure(event: ApiEvent, status: number, code: ErrorCode): ApiFailure {
  return { ok: false, status, error: { code, message: errorMessages[code][event.locals.locale] } };
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'too_many_requests';
  if (status === 503) return 'service_unavailable';
  return 'internal_error';
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function withQuery(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
        if (item !== '') params.append(name, String(item));
      }
    }
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * The API's raw response for `path`, as the visitor: in process when the API runs here, otherwise
 * through handleFetch. Cookies the API sets are passed on to the browser.
 */
export async function apiFetch(
  event: ApiEvent,
  method: Method,
  path: string,
  options: RequestOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const url = withQuery(path, options.query);
  let response: Response;
  if (inProcessApi()?.page()) {
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (options.form) {
      // The multipart encoding (and its boundary) as fetch would send it.
      const encoded = new Request('http://in-process/', { method: 'POST', body: options.form });
      headers['content-type'] = encoded.headers.get('content-type') ?? '';
      body = new Uint8Array(await encoded.arrayBuffer());
    } else if (options.body !== undefined) body = JSON.stringify(options.body);
    response = await sendToApi(event, { method, url, headers, body });
  } else {
    // fetch writes the multipart content type itself, with its boundary.
    const body =
      options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    response = await event.fetch(url, { method, headers, body });
  }
  forwardSetCookies(response.headers, event.cookies);
  return response;
}

/**
 * Calls the API and parses the answer with the contract's `schema`. Never throws: an error
 * response, an unreachable API or an answer that breaks the contract all become `ok: false`
 * with a message in the visitor's language.
 */
export async function apiRequest<S extends z.ZodType>(
  event: ApiEvent,
  method: Method,
  path: string,
  schema: S,
  options: RequestOptions = {},
): Promise<ApiResult<z.output<S>>> {
  let response: Response;
  let text: string;
  try {
    response = await apiFetch(event, method, path, options);
    text = await response.text();
  } catch (error) {
    console.error(`API ${method} ${path} failed`, error);
    return failure(event, 503, 'service_unavailable');
  }
  const json = parseJson(text);
  if (response.ok) {
    const parsed = schema.safeParse(json);
    if (parsed.success) return { ok: true, status: response.status, data: parsed.data };
    console.error(`API ${method} ${path} answered outside its contract`, parsed.error.issues);
    return failure(event, 502, 'internal_error');
  }
  const body = errorBodySchema.safeParse(json);
  const result: ApiFailure = body.success
    ? { ok: false, status: response.status, error: body.data.error }
    : failure(event, response.status, codeForStatus(response.status));
  // Answers with more than `error` (e.g. which registration already exists) keep it for the caller.
  if (body.success && Object.keys(json as object).some((key) => key !== 'error'))
    result.body = json;
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isInteger(retryAfter) && retryAfter > 0) result.retryAfter = retryAfter;
  return result;
}

/**
 * Calls one route of the table in `@sabor/contracts`: the path is filled from `params`, the body
 * and query are typed by the route's schemas, and the answer is parsed with its response schema.
 */
export function callRoute<R extends RouteContract>(
  event: ApiEvent,
  route: R,
  input: RouteInput<R> = {} as RouteInput<R>,
): Promise<ApiResult<RouteResult<R>>> {
  if (isFileResponse(route.response)) {
    throw new Error(`${route.path} answers a file: link to it, or use fetchRoute`);
  }
  const { params, query, body, form, idempotencyKey } = input as {
    params?: Record<string, unknown>;
    query?: Query;
    body?: unknown;
    form?: FormData;
    idempotencyKey?: string;
  };
  return apiRequest(event, route.method, fillPath(route.path, params), route.response, {
    query,
    body,
    form,
    idempotencyKey,
  }) as Promise<ApiResult<RouteResult<R>>>;
}

/**
 * The raw answer of a route whose response is a file (CSV, PDF, iCalendar, a document),
 * for the few pages that pass one on; links in pages point at such routes directly.
 */
export function fetchRoute<R extends RouteContract>(
  event: ApiEvent,
  route: R,
  input: RouteInput<R> = {} as RouteInput<R>,
): Promise<Response> {
  const { params, query } = input as { params?: Record<string, unknown>; query?: Query };
  return apiFetch(event, route.method, fillPath(route.path, params), { query });
}

type RouteArgs<R extends RouteContract> =
  Record<never, never> extends RouteInput<R> ? [input?: RouteInput<R>] : [input: RouteInput<R>];
type RouteClient = {
  [K in keyof Routes]: (
    event: ApiEvent,
    ...args: RouteArgs<Routes[K]>
  ) => Promise<ApiResult<RouteResult<Routes[K]>>>;
};

/** One typed call per route of the table, named as the table names it. */
const routeClient = Object.fromEntries(
  Object.entries(routes).map(([name, route]) => [
    name,
    (event: ApiEvent, input?: RouteInput<RouteContract>) => callRoute(event, route, input),
  ]),
) as unknown as RouteClient;

/** Every API call the web pages make, typed by the contracts. */
export const api = routeClient;
