import { z } from 'zod';
import { errorBodySchema } from './errors';

/** Who may call a route: anyone, a signed-in person, or at least a moderator or an admin. */
export type Access = 'public' | 'user' | 'moderator' | 'admin';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Error statuses a route may answer with; each is an `errorBodySchema` body. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503;

/**
 * One endpoint, declared once: the API registers it from this declaration (apps/api/src/route.ts)
 * and the pages call it through the client derived from the same declaration
 * (apps/web/src/lib/server/api.ts).
 */
export interface RouteContract {
  method: HttpMethod;
  /** The full path, with `:name` for each path parameter. */
  path: `/api${string}`;
  access: Access;
  /** OpenAPI: one line on what it does, and its group (or groups). */
  summary: string;
  tag: string | readonly [string, ...string[]];
  params?: z.ZodObject;
  query?: z.ZodType;
  /** A JSON body; `multipart` takes a file upload instead (parsed by the handler). */
  body?: z.ZodType;
  multipart?: true;
  /** The success answer: status and schema, or a file (CSV, PDF, iCalendar, a document). */
  status?: 200 | 201 | 202;
  response: z.ZodType | FileResponse;
  errors: readonly ErrorStatus[];
  /**
   * Answers with a body of their own rather than the error body: a 409 that names the registration
   * that already exists, the health check's 503, a 304.
   */
  otherResponses?: Readonly<Partial<Record<number, z.ZodType>>>;
  /**
   * Idempotency-Key handling: `true` replays a stored answer; `'resumable'` also lets a retry take
   * over a claim whose lease ran out (the handler then reads `request.idempotency.committedId`).
   */
  idempotent?: true | 'resumable';
  /**
   * A rate limit of its own per client address, tighter than the global one, or `false` for none
   * (health checks). The API may set `max` from its configuration.
   */
  rateLimit?: { max: number; timeWindow: '1 minute' | '10 minutes' | '1 hour' } | false;
}

/** A file answer: its media types and what it holds, for the OpenAPI document. */
export interface FileResponse {
  file: readonly [string, ...string[]];
  description: string;
}

export function isFileResponse(response: RouteContract['response']): response is FileResponse {
  return 'file' in response;
}

/** Keeps each declaration's literal types (path, method, schemas) for both apps to infer from. */
export function defineRoutes<const T extends Record<string, RouteContract>>(routes: T): T {
  return routes;
}

type SchemaOf<R, K extends 'params' | 'query' | 'body'> =
  R extends Record<K, infer S extends z.ZodType> ? S : undefined;

/** What the handler receives, after validation. */
export type RouteParams<R extends RouteContract> =
  SchemaOf<R, 'params'> extends z.ZodType ? z.output<SchemaOf<R, 'params'>> : Record<never, never>;
export type RouteQuery<R extends RouteContract> =
  SchemaOf<R, 'query'> extends z.ZodType ? z.output<SchemaOf<R, 'query'>> : Record<never, never>;
export type RouteBody<R extends RouteContract> =
  SchemaOf<R, 'body'> extends z.ZodType ? z.output<SchemaOf<R, 'body'>> : undefined;

/** What a caller sends, before validation. */
export type RouteInput<R extends RouteContract> = (SchemaOf<R, 'params'> extends z.ZodType
  ? { params: z.input<SchemaOf<R, 'params'>> }
  : { params?: never }) &
  (SchemaOf<R, 'query'> extends z.ZodType
    ? { query?: z.input<SchemaOf<R, 'query'>> }
    : { query?: never }) &
  (SchemaOf<R, 'body'> extends z.ZodType
    ? { body: z.input<SchemaOf<R, 'body'>> }
    : { body?: never }) &
  (R['multipart'] extends true ? { form: FormData } : { form?: never }) &
  (R['idempotent'] extends true | 'resumable'
    ? { idempotencyKey?: string | undefined }
    : { idempotencyKey?: never });

/** The success answer as the handler returns it, and as a caller receives it. */
export type RouteReply<R extends RouteContract> = R['response'] extends z.ZodType
  ? z.input<R['response']>
  : string | Uint8Array;
export type RouteResult<R extends RouteContract> = R['response'] extends z.ZodType
  ? z.output<R['response']>
  : never;

/** Text files are strings in the OpenAPI document; the rest are binary. */
const fileSchema = (type: string) =>
  type.startsWith('text/') ? z.string() : z.any().meta({ type: 'string', format: 'binary' });

/** The Fastify response schemas of a route: its success answer, its error bodies and the rest. */
export function responseSchemas(route: RouteContract): Record<number, unknown> {
  const { response } = route;
  const schemas: Record<number, unknown> = {
    [route.status ?? 200]: isFileResponse(response)
      ? {
          description: response.description,
          content: Object.fromEntries(
            response.file.map((type) => [type, { schema: fileSchema(type) }]),
          ),
        }
      : response,
  };
  for (const status of route.errors) schemas[status] = errorBodySchema;
  return { ...schemas, ...route.otherResponses };
}

/** `/api/consultations/:id` with `{ id }` → `/api/consultations/…` (each value URL-encoded). */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z]\w*)/g, (_match, name: string) => {
    const value = params?.[name];
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`${path}: no value for :${name}`);
    }
    return encodeURIComponent(value);
  });
}
